// CI's proof that the committed tree is exactly what the models produce: `generate --check` on
// the real repository (it reads and compares; it never writes).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO, runGenerate } from "./scratch.ts";

test("the committed clusters/ and tfvars match the models (npm run generate -- --check)", () => {
  const run = runGenerate(REPO, "--check");
  assert.is(run.status, 0, `${run.stdout}${run.stderr}\nrun \`npm run generate\` and commit the result`);
  assert.match(run.stdout, /generate --check: 3 clusters match their models/);
});

test.run();
