// Child process of job_store.test.ts: claim jobs one at a time until none is due, print the ids.
import { JobStore } from "../../pipelines/meeting/job_store.ts";

const [path, owner] = Deno.args;
const store = new JobStore(path);
const ids: number[] = [];
for (;;) {
  const jobs = store.claimDue(Date.now(), 1, { owner, leaseMs: 600_000 });
  if (jobs.length === 0) break;
  ids.push(...jobs.map((j) => j.id));
}
store.close();
console.log(JSON.stringify(ids));
