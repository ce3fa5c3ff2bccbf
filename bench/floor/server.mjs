// Serves the floor's build as Parley's server.ts serves Parley: Express,
// compression, static files under /assets, the Remix request handler.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

process.env.NODE_ENV ||= "production";
const build = await import(new URL("./build/server/index.js", import.meta.url).href);
const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use("/assets", express.static(new URL("./build/client/assets", import.meta.url).pathname, { immutable: true, maxAge: "1y", index: false }));
app.all("*", createRequestHandler({ build, mode: "production" }));
const server = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
