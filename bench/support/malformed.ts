/**
 * Bad requests sent beside a load: under it, malformed input must still get
 * a 4xx, never a 5xx. One at a time, round the given kinds, until `done`
 * settles (few enough not to change the load's own figures); the statuses
 * are counted and printed (the bench asserts nothing).
 */
export interface MalformedRequest {
  kind: string;
  url: string;
  init: RequestInit;
}

export interface MalformedTally {
  sent: number;
  /** Responses outside 400–499, and requests that failed outright, by kind. */
  wrong: string[];
  /** "400×120 404×60 413×30" */
  statuses: string;
}

export async function sendMalformedDuring(requests: (index: number) => MalformedRequest, done: Promise<unknown>): Promise<MalformedTally> {
  let finished = false;
  // Promise.resolve: a load tool may hand back a thenable that is not a Promise.
  void Promise.resolve(done).finally(() => (finished = true));
  const counts = new Map<number, number>();
  const wrong: string[] = [];
  let next = 0;
  const sender = async () => {
    while (!finished) {
      const request = requests(next++);
      try {
        const response = await fetch(request.url, { ...request.init, redirect: "manual" });
        await response.arrayBuffer();
        counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
        if (response.status < 400 || response.status > 499) wrong.push(`${request.kind}: ${response.status}`);
      } catch (error) {
        wrong.push(`${request.kind}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await sender();
  const statuses = [...counts]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}×${count}`)
    .join(" ");
  return { sent: next, wrong, statuses };
}

export function describeMalformed(tally: MalformedTally): string {
  const summary = `malformed requests during the load: ${tally.sent} sent, ${tally.statuses}; outside 4xx: ${tally.wrong.length}`;
  return tally.wrong.length ? `${summary} (${[...new Set(tally.wrong)].slice(0, 5).join("; ")})` : summary;
}
