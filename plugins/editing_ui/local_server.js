/* The editing UI's local backend (`./dev cms`, portal/local_backend.py):
 * decap-server's own file-system API, from node_modules, behind a larger
 * upload limit.
 *
 * Decap sends a save's files as base64 text in one JSON request, and
 * decap-server takes at most 50 MB of it: an audio file of more than about
 * 35 MB (a 40-minute MP3) was refused, and the form went on to save the
 * story without it. Here the request's JSON is read first, with a limit of
 * UPLOAD_LIMIT_MB (decap-server's own reader then leaves it be), and a
 * request over the limit gets an answer the form shows: what was too large
 * and what to do instead.
 *
 * Settings, from the environment (portal/local_backend.py sets them):
 * DECAP_SERVER_DIR (node_modules/decap-server), GIT_REPO_DIRECTORY (the
 * folder holding content/), PORT, BIND_HOST, UPLOAD_LIMIT_MB, LOG_LEVEL.
 */
"use strict";

const path = require("path");
const { createRequire } = require("module");

const fromDecap = createRequire(path.join(process.env.DECAP_SERVER_DIR, "package.json"));
const express = fromDecap("express");
const cors = fromDecap("cors");
const { registerLocalFs } = fromDecap("./dist/middlewares.js");

const port = parseInt(process.env.PORT || "8081", 10);
const host = process.env.BIND_HOST || "127.0.0.1";
const limitMb = parseInt(process.env.UPLOAD_LIMIT_MB || "400", 10);
// Only the editing pages on this computer may use it (decap-server's rule).
const LOCAL_PAGES = /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/;

function tooLarge() {
  // Files travel as base64 text: a third larger than they are.
  const files = Math.floor((limitMb * 3) / 4);
  return (
    `the files of this save are more than about ${files} MB together, more ` +
    `than the local backend takes at once (${limitMb} MB as sent) - put a ` +
    "larger audio file into the story's folder yourself (./dev new-story " +
    "does it for a new story) and choose it from there"
  );
}

async function main() {
  const app = express();
  app.use(cors({ origin: LOCAL_PAGES }));
  app.use(express.json({ limit: `${limitMb}mb` }));
  await registerLocalFs(app, { logLevel: process.env.LOG_LEVEL || "info" });
  app.use((error, request, response, next) => {
    if (response.headersSent) return next(error);
    if (error && error.type === "entity.too.large") {
      return response.status(413).json({ error: tooLarge() });
    }
    const status = (error && (error.status || error.statusCode)) || 500;
    return response.status(status).json({ error: String((error && error.message) || error) });
  });
  app.listen(port, host, () => {
    console.log(`Local backend for the editing UI listening on ${host}:${port}`);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
