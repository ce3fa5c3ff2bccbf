import type { RequestHandler } from "express";
import onHeaders from "on-headers";

/**
 * Lets at most `limit` requests be worked on at once; the others wait their
 * turn, first come first served, costing nothing meanwhile.
 *
 * The server is one thread. A hundred requests worked on together share it
 * step by step: each turn of the event loop runs one step of every one of
 * them (turns of 150–370 ms were measured under a rush of 100 simultaneous
 * forum sign-ups), so every request finishes late, and timers, sockets and
 * the outbox worker wait. Taken a few at a time, the same work costs the
 * same, the event loop turns often, and most requests are answered sooner.
 *
 * A request holds its place until its response's headers are written (or
 * its connection closes): a long download (an export) streams its body
 * without keeping others waiting. A request whose client has gone while it
 * waited is dropped from the queue.
 */
export function requestQueue(limit: number): RequestHandler {
  let working = 0;
  const waiting: (() => void)[] = [];

  const startNext = () => {
    while (working < limit) {
      const start = waiting.shift();
      if (!start) return;
      start();
    }
  };

  return (req, res, next) => {
    const start = () => {
      if (req.socket.destroyed) return;
      working++;
      let done = false;
      const release = () => {
        if (done) return;
        done = true;
        working--;
        // Not from inside this response's writeHead: the next request starts on a turn of its own.
        if (waiting.length > 0) setImmediate(startNext);
      };
      onHeaders(res, release);
      res.once("close", release);
      next();
    };
    if (working < limit && waiting.length === 0) start();
    else waiting.push(start);
  };
}
