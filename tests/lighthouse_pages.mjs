// Lighthouse on several pages with one Chromium: tests/lighthouse.py's
// run_pages(). Each page gets a Lighthouse run of its own (a navigation from
// about:blank with the origin's storage cleared, as the CLI does); only
// starting Node, Lighthouse and the browser is done once, not once a page.
//
//   node lighthouse_pages.mjs LIGHTHOUSE_DIR CHROMIUM FLAGS CATEGORIES URL...
//
// LIGHTHOUSE_DIR: the lighthouse package's folder; FLAGS: Chromium's flags,
// space-separated; CATEGORIES: comma-separated. Prints a JSON object: URL ->
// Lighthouse's report (the lhr), or {"runtimeError": ...} when it failed.
//
// The full-page screenshot is left out: no audit scores it (it only draws
// the elements an audit names in Lighthouse's HTML report), and taking it
// was a second and a half of each run.

import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const [lighthouseDir, chromium, chromeFlags, categories, ...urls] =
  process.argv.slice(2);
const load = (file) => import(pathToFileURL(file).href);
const {default: lighthouse} = await load(path.join(lighthouseDir, 'core/index.js'));
const require = createRequire(path.join(lighthouseDir, 'package.json'));
const chromeLauncher = await load(require.resolve('chrome-launcher'));

const chrome = await chromeLauncher.launch({
  chromePath: chromium,
  chromeFlags: chromeFlags.split(' ').filter(Boolean),
});
const reports = {};
try {
  for (const url of urls) {
    try {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: categories.split(','),
        disableFullPageScreenshot: true,
      });
      reports[url] = result.lhr;
    } catch (error) {
      reports[url] = {runtimeError: {code: 'NODE', message: String(error)}};
    }
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(reports));
