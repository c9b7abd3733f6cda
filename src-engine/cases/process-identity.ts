// Who holds a lock: a PID alone is not an identity (PIDs are reused, and after a reboot a stale
// lock's PID may well name a live, unrelated process). Where /proc is available (Linux), a process
// is identified by its PID, the boot it runs in and its start time in clock ticks since boot.
import fs from 'node:fs';

/** Linux reports start times in USER_HZ ticks, 100 per second on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

function startTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)" start at field 3 (state); starttime is field 22. comm may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[22 - 3]);
    return Number.isSafeInteger(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

function bootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** "boot:<boot id>:start:<ticks>" for a running process, or null where the system does not say. */
export function processStartIdentity(pid: number): string | null {
  const ticks = startTicks(pid);
  const boot = bootId();
  return ticks === null || boot === null ? null : `boot:${boot}:start:${ticks}`;
}

/** When the process started (ms since the epoch), or null where the system does not say. */
export function processStartedAtMs(pid: number): number | null {
  const ticks = startTicks(pid);
  if (ticks === null) return null;
  try {
    const btime = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))?.[1];
    return btime === undefined ? null : Number(btime) * 1000 + (ticks / TICKS_PER_SECOND) * 1000;
  } catch {
    return null;
  }
}
