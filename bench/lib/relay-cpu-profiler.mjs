/**
 * Loaded into a relay with `node --import` (bench/lib/profile-join.ts does it when RELAY_CPU_PROF names a
 * directory): the first SIGUSR2 starts a V8 CPU profile of the relay, the second writes it there as
 * relay-<pid>.cpuprofile. Node 20 refuses --cpu-prof in NODE_OPTIONS, and a relay stopped by the test
 * harness never reaches the exit that --cpu-prof writes on.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
let on = false;
process.on('SIGUSR2', () => {
  if (!on) {
    on = true;
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start')));
    return;
  }
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(`${process.env.RELAY_CPU_PROF}/relay-${process.pid}.cpuprofile`, JSON.stringify(result.profile));
  });
});
