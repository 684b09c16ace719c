import { spawn } from 'node:child_process';
import { commandOf, EXEC_REREADS, readCommand, type CommandReaders } from './proc-table';

/** Readers that give the command lines in `lines` one after the other (the last one stays). */
function readers(lines: (string | undefined)[], state: string | undefined = 'R', comm = 'sleep\n'): CommandReaders & { pauses: number } {
  let at = 0;
  const r = {
    pauses: 0,
    cmdline: () => lines[Math.min(at++, lines.length - 1)],
    comm: () => comm,
    state: () => state,
    pause: () => {
      r.pauses++;
    },
  };
  return r;
}

describe('commandOf', () => {
  it('joins the arguments with spaces', () => {
    expect(commandOf(readers(['sleep\u0000300\u0000']))).toBe('sleep 300');
  });

  it('reads again a live process caught in exec (named, arguments not yet in place)', () => {
    const r = readers(['', '', 'sleep\u0000300\u0000']);
    expect(commandOf(r)).toBe('sleep 300');
    expect(r.pauses).toBe(2);
  });

  it('gives the name of a live process whose command line stays empty, after a bounded number of reads', () => {
    const r = readers(['']);
    expect(commandOf(r)).toBe('[sleep]');
    expect(r.pauses).toBe(EXEC_REREADS);
  });

  it('does not wait for a zombie, whose command line is always empty', () => {
    const r = readers([''], 'Z');
    expect(commandOf(r)).toBe('[sleep]');
    expect(r.pauses).toBe(0);
  });

  it('gives ? for a process that is gone', () => {
    expect(commandOf(readers([undefined], undefined, ''))).toBe('?');
  });

  it('cuts a long command line to 300 characters', () => {
    const line = commandOf(readers([`x\u0000${'a'.repeat(400)}`]));
    expect(line).toHaveLength(300);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('readCommand', () => {
  it('reads a real process from /proc', async () => {
    const child = spawn('sleep', ['30.25'], { stdio: 'ignore' });
    try {
      let command = '';
      for (let i = 0; i < 200 && !command.startsWith('sleep'); i++) {
        command = readCommand(child.pid!);
        if (!command.startsWith('sleep')) await new Promise((r) => setTimeout(r, 5));
      }
      expect(command).toBe('sleep 30.25');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
