/**
 * Preload (`NODE_OPTIONS=--import <this file>`, since --cpu-prof is not allowed there): profiles the
 * whole process and writes a .cpuprofile into $BENCH_CPU_PROF_DIR when the process exits.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    // The inspector session answers synchronously on this thread, so this completes inside 'exit'.
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(path.join(dir, `relay-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
