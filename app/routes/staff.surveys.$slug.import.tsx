import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FileDrop } from "~/components/file-drop";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PARTICIPANT_COLUMNS, REQUIRED_COLUMNS, type FileProblem, type RowProblem } from "~/domain/participant-csv";
import { commitImport, discardImport, stagedImport } from "~/models/participant.server";
import { recordAudit } from "~/platform/audit.server";
import { MAX_UPLOAD_BYTES, receiveParticipantUpload } from "~/features/outreach/participant-import.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { CLOSE_CONNECTION, readForm } from "~/platform/forms.server";
import { TableFrame } from "~/components/table-frame";

const ID = /^[0-9a-f-]{36}$/;
/** The preview lists this many problems and sample rows; the counts cover the whole file. */
const PREVIEW_PROBLEMS = 500;
const PREVIEW_ROWS = 10;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey } = await requireStaffSurvey(request, params, "participants.manage");
  const url = new URL(request.url);
  const stagedId = url.searchParams.get("staged") ?? "";
  const staged = ID.test(stagedId) ? await stagedImport(stagedId, survey.id) : null;
  const imported = url.searchParams.get("imported");
  return {
    slug: survey.slug,
    columns: PARTICIPANT_COLUMNS,
    required: REQUIRED_COLUMNS,
    maxMegabytes: MAX_UPLOAD_BYTES / 1024 / 1024,
    done: imported === null ? null : { imported: Number(imported) || 0, skipped: Number(url.searchParams.get("skipped")) || 0 },
    expired: stagedId !== "" && !staged,
    preview: staged
      ? {
          id: staged.id,
          fileName: staged.fileName,
          total: staged.total,
          valid: staged.rows.length,
          invalid: staged.errors.length,
          ignoredColumns: staged.ignoredColumns,
          sample: staged.rows.slice(0, PREVIEW_ROWS),
          errors: staged.errors.slice(0, PREVIEW_PROBLEMS),
        }
      : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "participants.manage");
  const base = `/staff/surveys/${survey.slug}/import`;
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const upload = await receiveParticipantUpload(request, survey, user.id);
    if (!upload.ok) return data({ problem: upload.problem }, { status: upload.status, headers: upload.status === 413 ? CLOSE_CONNECTION : undefined });
    return redirect(`${base}?staged=${upload.stagedId}`);
  }
  const form = await readForm(request);
  const stagedId = String(form.get("staged") ?? "");
  if (!ID.test(stagedId)) return data({ problem: { code: "noFile" as const } }, { status: 400 });
  const intent = String(form.get("intent") ?? "");
  if (intent === "discard") {
    await discardImport(stagedId, survey.id);
    return redirect(base);
  }
  if (intent !== "import" && intent !== "importValid") return data({ problem: { code: "noFile" as const } }, { status: 400 });
  const result = await commitImport(stagedId, survey.id, intent === "importValid");
  if (result.outcome === "gone") return redirect(`${base}?staged=${stagedId}`);
  if (result.outcome === "hasErrors") return data({ problem: { code: "hasErrors" as const, count: result.errors } }, { status: 409 });
  await recordAudit({
    staffUserId: user.id,
    action: "participants.import",
    subject: survey.slug,
    detail: { imported: result.imported, skippedAsTaken: result.skippedAsTaken, validOnly: intent === "importValid" },
  });
  return redirect(`${base}?imported=${result.imported}&skipped=${result.skippedAsTaken}`);
}

type Problem = FileProblem | RowProblem | { code: "tooLarge"; maxMegabytes: number } | { code: "noFile" } | { code: "hasErrors"; count: number };

function useProblemText() {
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  return (problem: Problem) => {
    const values: Record<string, unknown> = { ...problem };
    if ("line" in problem) values.line = number.format(problem.line);
    if ("firstLine" in problem) values.firstLine = number.format(problem.firstLine);
    if ("column" in problem) values.column = t(`participants.fields.${problem.column}`);
    if ("columns" in problem) values.columns = problem.columns.join(", ");
    if ("max" in problem) values.max = number.format(problem.max);
    return t(`import.problems.${problem.code}`, values);
  };
}

export default function ImportParticipants() {
  const { slug, columns, required, maxMegabytes, done, expired, preview } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  const problemText = useProblemText();
  const busy = navigation.state === "submitting";

  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t("import.title")}</h2>
      {actionData?.problem ? (
        <div className="error-summary" role="alert">
          <p>{problemText(actionData.problem)}</p>
        </div>
      ) : null}
      {done ? (
        <p className="notice" role="status">
          {t("import.done", { count: done.imported, formatted: number.format(done.imported) })}{" "}
          {done.skipped > 0 ? t("import.skipped", { count: done.skipped, formatted: number.format(done.skipped) }) : null}{" "}
          <Link to={`/staff/surveys/${slug}/participants`}>{t("import.toParticipants")}</Link>
        </p>
      ) : null}
      {expired ? <p className="notice">{t("import.expired")}</p> : null}

      {preview ? (
        <>
          <h3>{t("import.previewTitle", { file: preview.fileName })}</h3>
          <dl className="figures">
            <div>
              <dt>{t("import.rowsRead")}</dt>
              <dd>{number.format(preview.total)}</dd>
            </div>
            <div>
              <dt>{t("import.rowsValid")}</dt>
              <dd>{number.format(preview.valid)}</dd>
            </div>
            <div>
              <dt>{t("import.rowsInvalid")}</dt>
              <dd>{number.format(preview.invalid)}</dd>
            </div>
          </dl>
          {preview.ignoredColumns.length > 0 ? <p>{t("import.ignoredColumns", { columns: preview.ignoredColumns.join(", ") })}</p> : null}
          {preview.errors.length > 0 ? (
            <div className="import-problems">
              <h4 id="problems-title">{t("import.problemsTitle")}</h4>
              <ul aria-labelledby="problems-title">
                {preview.errors.map((error) => (
                  <li key={error.line}>
                    {t("import.lineLabel", { line: number.format(error.line) })} {error.problems.map(problemText).join(" ")}
                  </li>
                ))}
              </ul>
              {preview.invalid > preview.errors.length ? (
                <p>
                  {t("import.moreProblems", {
                    count: preview.invalid - preview.errors.length,
                    formatted: number.format(preview.invalid - preview.errors.length),
                  })}
                </p>
              ) : null}
            </div>
          ) : null}
          {preview.sample.length > 0 ? (
            <TableFrame label={t("import.sampleCaption")}>
              <table>
                <caption>{t("import.sampleCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("import.line")}</th>
                    {columns.map((column) => (
                      <th scope="col" key={column}>
                        {t(`participants.fields.${column}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.sample.map((row) => (
                    <tr key={row.line}>
                      <td className="numeric">{number.format(row.line)}</td>
                      {columns.map((column) => (
                        <td key={column}>
                          <bdi>{row[column] ?? ""}</bdi>
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
          ) : null}
          <Form method="post" className="button-row">
            <input type="hidden" name="staged" value={preview.id} />
            {preview.invalid === 0 ? (
              <button type="submit" name="intent" value="import" className="button" disabled={busy || preview.valid === 0}>
                {t("import.confirm", { count: preview.valid, formatted: number.format(preview.valid) })}
              </button>
            ) : preview.valid > 0 ? (
              <button type="submit" name="intent" value="importValid" className="button">
                {t("import.confirmValid", { count: preview.valid, formatted: number.format(preview.valid) })}
              </button>
            ) : null}
            <button type="submit" name="intent" value="discard" className="button secondary">
              {t("import.discard")}
            </button>
          </Form>
          {preview.invalid > 0 ? <p className="hint">{t("import.fixAndUpload")}</p> : null}
        </>
      ) : (
        <>
          <p>{t("import.intro")}</p>
          <ul>
            <li>{t("import.columnsRequired", { columns: required.join(", ") })}</li>
            <li>{t("import.columnsOptional", { columns: "language, region, country, unit, time zone" })}</li>
            <li>{t("import.format", { size: number.format(maxMegabytes) })}</li>
          </ul>
          <Form method="post" encType="multipart/form-data" className="panel">
            <div className="field">
              <label htmlFor="file">{t("import.file")}</label>
              <FileDrop id="file" name="file" accept=".csv,text/csv" />
            </div>
            <button type="submit" className="button" disabled={busy}>
              {busy ? t("import.checking") : t("import.check")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
