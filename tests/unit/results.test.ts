import { describe, expect, it } from "vitest";
import { suppressCells, viewDisclosure, visibleCount } from "~/domain/anonymity";
import type { QuestionView } from "~/domain/answers";
import { comparableViews, filterSearchParams, parseResultsFilter } from "~/domain/results-filter";
import { containsPattern, foldForSearch, searchWords } from "~/domain/search-text";
import { foldForSearch as forumPageFold, searchWords as forumPageWords } from "~/features/forums/forum-page.js";
import { bucketEdges, mergeSparseTails } from "~/features/results/counts.server";
import { chartContent, countLabel, questionCounts, withheldKinds } from "~/features/results/withheld";

const question = (key: string, type: QuestionView["type"], options: string[] = []): QuestionView => ({
  key,
  type,
  required: false,
  options,
  rows: [],
  allowOther: false,
});
const QUESTIONS = [question("proposal_3", "likert"), question("channels", "multiple", ["web", "mail", "other"]), question("why", "text")];

describe("disclosure rules", () => {
  it("hides counts between 1 and threshold - 1, never zero", () => {
    expect([0, 1, 4, 5, 120].map((count) => visibleCount(count, 5))).toEqual([0, null, null, 5, 120]);
  });

  it("hides a second cell when one hidden cell could be recovered from the total", () => {
    // 3 + 40 + 57 = 100 published: 3 alone would be 100 - 40 - 57. The 40 is hidden to protect it, and is not "few".
    expect(suppressCells([3, 40, 57], 5)).toEqual(["few", "hidden", 57]);
    // Two hidden cells already protect each other.
    expect(suppressCells([3, 2, 95], 5)).toEqual(["few", "few", 95]);
    // Zeros reveal nothing and are not used as the second cell.
    expect(suppressCells([0, 3, 0, 60, 20], 5)).toEqual([0, "few", 0, 60, "hidden"]);
    expect(suppressCells([10, 20, 0], 5)).toEqual([10, 20, 0]);
  });

  it("labels a small count and a count hidden to protect it differently, and explains only what a table holds", () => {
    const words = { number: (value: number) => value.toLocaleString("en"), few: "< 5", hidden: "hidden" };
    // Complementary suppression of a 12: "hidden", never "< 5".
    expect(suppressCells([3, 12, 1200], 5).map((value) => countLabel(value, words))).toEqual(["< 5", "hidden", "1,200"]);
    expect(withheldKinds([40, "hidden", "few", 0])).toEqual(["few", "hidden"]);
    expect(withheldKinds([40, 0])).toEqual([]);
    expect(
      questionCounts({
        answered: 95,
        noAnswer: "few",
        options: [{ count: "hidden" }],
        rows: [{ options: [{ count: 7 }], noAnswer: 0 }],
        number: { buckets: [{ count: 88 }] },
      }),
    ).toEqual([95, "few", "hidden", 7, 0, 88]);
  });

  it("draws a chart only when some figure it would draw is shown", () => {
    expect(chartContent([3, "few", 0])).toBe("bars");
    // Every non-zero figure withheld: no bar at all, a sentence instead.
    expect(chartContent(["few", "hidden", 0])).toBe("withheld");
    expect(chartContent([0, 0])).toBe("empty");
  });

  it("refuses views below the threshold or within the threshold of a comparable view", () => {
    expect(viewDisclosure(4, [], 5)).toBe("tooFew");
    expect(viewDisclosure(40, [0, 12], 5)).toBe("shown");
    expect(viewDisclosure(40, [12, 3], 5)).toBe("differencing");
  });
});

describe("results filters in the URL", () => {
  it("parses segments, an answer filter and drafts, and writes them back the same way", () => {
    const { filter, ignored } = parseResultsFilter(new URLSearchParams("region=Africa&language=fr&q=proposal_3&a=strongly_agree&a=agree&drafts=1"), QUESTIONS);
    expect(ignored).toEqual([]);
    expect(filter).toEqual({
      segments: { region: "Africa", language: "fr" },
      answer: { question: "proposal_3", options: ["agree", "strongly_agree"] },
      includeDrafts: true,
    });
    expect(filterSearchParams(filter).toString()).toBe("region=Africa&language=fr&q=proposal_3&a=agree&a=strongly_agree&drafts=1");
  });

  it("ignores, and reports, what does not fit the survey", () => {
    const { filter, ignored } = parseResultsFilter(new URLSearchParams("colour=red&region=a&region=b&q=why&a=x&drafts=maybe&country=%00x"), QUESTIONS);
    expect(filter).toEqual({ segments: {}, includeDrafts: false });
    expect(ignored).toEqual(
      expect.arrayContaining([
        { parameter: "colour", reason: "unknown" },
        { parameter: "region", reason: "repeated" },
        { parameter: "country", reason: "malformed" },
        { parameter: "q", reason: "notFilterable" },
        { parameter: "drafts", reason: "malformed" },
      ]),
    );
    expect(parseResultsFilter(new URLSearchParams("q=another_surveys_question&a=agree"), QUESTIONS).ignored).toEqual([
      { parameter: "q", reason: "notAQuestion" },
    ]);
    expect(parseResultsFilter(new URLSearchParams("q=channels&a=web&a=fax"), QUESTIONS)).toEqual({
      filter: { segments: {}, answer: { question: "channels", options: ["web"] }, includeDrafts: false },
      ignored: [{ parameter: "a", reason: "notAnOption" }],
    });
  });

  it("pairs every view that differs by some filters, the larger one first", () => {
    const { filter } = parseResultsFilter(new URLSearchParams("region=Africa&q=proposal_3&a=agree&drafts=1"), QUESTIONS);
    const pairs = comparableViews(filter).map(({ larger, smaller }) => [filterSearchParams(larger).toString(), filterSearchParams(smaller).toString()]);
    expect(pairs).toEqual(
      expect.arrayContaining([
        ["q=proposal_3&a=agree&drafts=1", "region=Africa&q=proposal_3&a=agree&drafts=1"],
        ["region=Africa&drafts=1", "region=Africa&q=proposal_3&a=agree&drafts=1"],
        ["drafts=1", "region=Africa&q=proposal_3&a=agree&drafts=1"],
        // Including drafts widens a view.
        ["region=Africa&q=proposal_3&a=agree&drafts=1", "region=Africa&q=proposal_3&a=agree"],
      ]),
    );
    expect(pairs).toHaveLength(4);
  });
});

describe("comment search folding", () => {
  it("ignores case and diacritics in Latin, Cyrillic and Arabic script", () => {
    expect(foldForSearch("Réseau ÉLARGI")).toBe("reseau elargi");
    expect(foldForSearch("ВПЕРЁД")).toBe("вперед");
    expect(foldForSearch("الْمَكْتَبَة")).toBe(foldForSearch("المكتبه"));
    expect(foldForSearch("أمين")).toBe("امين");
    expect(foldForSearch("图书馆")).toBe("图书馆");
  });

  it("turns input into words and literal LIKE patterns", () => {
    expect(searchWords("  Budget   BUDGET détaillé ")).toEqual(["budget", "detaille"]);
    expect(containsPattern("100%_a\\b")).toBe("%100\\%\\_a\\\\b%");
  });

  it("folds the same way in the forum page's script, which searches the zones in the browser", () => {
    for (const text of ["Réseau ÉLARGI", "ВПЕРЁД", "الْمَكْتَبَة", "أمين علىٰ مكتبـة", "图书馆", "São Paulo — heure de Brasília (UTC\u221203:00)", "Ｔｏｋｙｏ ﬁ"]) {
      expect(forumPageFold(text)).toBe(foldForSearch(text));
      expect(forumPageWords(`  ${text} ${text} `)).toEqual(searchWords(`  ${text} ${text} `));
    }
  });
});

describe("number distributions", () => {
  it("uses round bucket edges that cover every answer", () => {
    expect(bucketEdges(0, 40, true)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    expect(bucketEdges(7, 7, true)).toEqual([7, 7]);
  });

  it("merges sparse outer buckets into open-ended ones", () => {
    const buckets = mergeSparseTails([0, 10, 20, 30, 40], [1, 30, 40, 2], 5);
    expect(buckets).toEqual([
      { from: null, to: 20, count: 31 },
      { from: 20, to: null, count: 42 },
    ]);
  });
});
