import { request as httpRequest, type ClientRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { requestQueue } from "../../app/platform/request-queue.server";

/** An Express server whose handler records each request's start and answers only when the test says so. */
function heldServer(limit: number) {
  const started: string[] = [];
  const held = new Map<string, express.Response>();
  const app = express();
  app.use(requestQueue(limit));
  app.get("/:name", (req, res) => {
    started.push(req.params.name!);
    held.set(req.params.name!, res);
  });
  const server: Server = app.listen(0, "127.0.0.1");
  const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, started, held, url };
}

const until = async (check: () => boolean) => {
  for (let waited = 0; !check(); waited += 5) {
    if (waited > 2_000) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

let servers: Server[] = [];
afterEach(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  servers = [];
});

function get(url: string): { request: ClientRequest; body: Promise<string> } {
  let request!: ClientRequest;
  const body = new Promise<string>((resolve, reject) => {
    request = httpRequest(url, { agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve(text));
    });
    request.on("error", reject);
    request.end();
  });
  return { request, body };
}

describe("request queue", () => {
  it("works on `limit` requests at once and starts the others in arrival order as each answers", async () => {
    const site = heldServer(2);
    servers.push(site.server);
    await new Promise((resolve) => site.server.once("listening", resolve));
    const requests = [get(`${site.url()}/a`), get(`${site.url()}/b`)];
    await until(() => site.started.length === 2);
    for (const name of ["c", "d", "e"]) {
      requests.push(get(`${site.url()}/${name}`));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(site.started.sort()).toEqual(["a", "b"]);

    for (const [answered, next] of [
      ["a", "c"],
      ["b", "d"],
      ["c", "e"],
    ] as const) {
      site.held.get(answered)!.send(answered.toUpperCase());
      await until(() => site.started.includes(next));
      expect(site.started).toHaveLength(["a", "b", "c", "d", "e"].indexOf(next) + 1);
    }
    site.held.get("d")!.send("D");
    site.held.get("e")!.send("E");
    const bodies = await Promise.all(requests.map((request) => request.body));
    expect(bodies).toEqual(["A", "B", "C", "D", "E"]);
  });

  it("lets the next request start once a response's headers are out, while its body still streams", async () => {
    const site = heldServer(1);
    servers.push(site.server);
    await new Promise((resolve) => site.server.once("listening", resolve));
    const download = get(`${site.url()}/download`);
    await until(() => site.started.length === 1);
    const page = get(`${site.url()}/page`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(site.started).toEqual(["download"]);

    const stream = site.held.get("download")!;
    stream.write("first part;");
    await until(() => site.started.length === 2);
    site.held.get("page")!.send("page");
    expect(await page.body).toBe("page");
    stream.end("last part");
    expect(await download.body).toBe("first part;last part");
  });

  it("drops a waiting request whose client has gone, and frees the place of one that goes while worked on", async () => {
    const site = heldServer(1);
    servers.push(site.server);
    await new Promise((resolve) => site.server.once("listening", resolve));
    const first = get(`${site.url()}/first`);
    first.body.catch(() => undefined);
    await until(() => site.started.length === 1);
    const gone = get(`${site.url()}/gone`);
    gone.body.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    gone.request.destroy();
    const last = get(`${site.url()}/last`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The first client goes too, without an answer: its place is freed and the queue moves on past the one that left.
    first.request.destroy();
    await until(() => site.started.length === 2);
    expect(site.started).toEqual(["first", "last"]);
    site.held.get("last")!.send("last");
    expect(await last.body).toBe("last");
  });
});
