// modelprint: the command-line interface for batch work. Every command takes --json for
// machine-readable output and ends with an exit code from exit-codes.ts.
import { parseArgs } from 'node:util';
import { ApiError } from '../api/errors.ts';
import { isIntegrityError } from '../jobs/integrity-failures.ts';
import { Library } from '../cases/library.ts';
import { defaultActor, defaultLibraryHome } from '../base/paths.ts';
import { APP_VERSION } from '../base/version.ts';
import { attributeCommand } from './commands/attribute.ts';
import { auditCommands } from './commands/audit.ts';
import { calibrateCommand } from './commands/calibrate.ts';
import { caseCommands } from './commands/case.ts';
import { corpusCommands } from './commands/corpus.ts';
import { curveCommand } from './commands/curve.ts';
import { evaluateCommand } from './commands/evaluate.ts';
import { exportCommand } from './commands/export.ts';
import { fingerprintCommand } from './commands/fingerprint.ts';
import { galleryCommands } from './commands/gallery.ts';
import { hashSetCommands } from './commands/hashset.ts';
import { importCommand } from './commands/import.ts';
import { provenanceCommand } from './commands/provenance.ts';
import { reportCommand } from './commands/report.ts';
import { serveCommand } from './commands/serve.ts';
import { verifySetsCommand } from './commands/verify-sets.ts';
import { verifyCommand } from './commands/verify.ts';
import { noteCommand } from './commands/note.ts';
import { bookmarkCommand } from './commands/bookmark.ts';
import { conclusionCommand, declarationCommand, reviewCommand, signatureCommand } from './commands/statement.ts';
import { tagCommand } from './commands/tag.ts';
import { exitQuietlyOnBrokenPipe } from './broken-pipe.ts';
import type { CliContext, Command } from './context.ts';
import { ExitCode } from './exit-codes.ts';
import { terminalLines } from './terminal-text.ts';
import { UsageError } from './usage-error.ts';

const HELP = `modelprint ${APP_VERSION}: attribute AI-generated images to the model that made them

Usage: modelprint [--home DIR] [--actor NAME] [--json] <command> [options]

Cases
  case create --number N --title T --examiner E [--description D]
  case list
  case show <case>
  case edit <case> [--title T] [--examiner E] [--description D]   corrections, audited with the old values
  case close|reopen <case>                     a closed case takes no new evidence
  case archive|unarchive <case>                an archived case is read-only (the database refuses changes)
  note --case <case> [--item N] <text>         the examiner's note on an item or the case (custody, audit); --list lists
  tag --case <case> --items 1-20,34 [--remove] <tag>   tag items (or untag; custody, audit); --list: tags and counts
  bookmark --case <case> --items ... [--comment T] [--remove]   bookmark items for the report (custody, audit); --list
Conclusions and review (printed in every report; each change audited; without options each shows what is stored)
  conclusion --case <case> [--text T]          the examiner's conclusions ('' clears them)
  declaration --case <case> [--text T] [--confirm|--withdraw]   the declaration (a default wording until changed;
                                               printed as the examiner's only once confirmed)
  signature --case <case> [--name N] [--role R] [--organisation O] [--date YYYY-MM-DD]   the block signed on paper
  review --case <case> [--reviewer R] [--outcome agreed|agreed-with-comments|disagreed] [--date YYYY-MM-DD] [--comments T]
Evidence
  import --case <case> <files or folders...>   hash, copy and record (recursive); Ctrl-C cancels
         [--follow-links]                      follow symbolic links that stay inside the selection
                                               (links are otherwise recorded, never followed; never out of it)
  verify --case <case>                         re-hash every stored item against its intake hash
  export --case <case> [--format json|csv] [--out FILE]   the evidence list with hashes and custody
Provenance and reports
  provenance --case <case> [--items 1,2,5-7]   read what the files say about their origin (items not
                                               analysed yet, or --items again) and list it
  report --case <case> [--items ...|--tag T|--all-items] [--sections a,b] [--out DIR]
                                               (no choice: the bookmarked items, else all)
                                               re-verify hashes, write the PDF report and its JSON
                                               bundle into the case (sections: exhibits, methods,
                                               provenance, spectra, attribution, set-findings,
                                               limitations, reproducibility, audit)
Fingerprints
  fingerprint --case <case>                    spectral fingerprint of every analysable item (once per model); Ctrl-C cancels
  evaluate <dir> [--out FILE] [--seed N]       identification, verification and cluster scores on a folder
                                               of folders (one per generator), then per bag size (1, 5, 10,
                                               50; mean and DeepSets pooling) identification, confusion,
                                               verification, Cllr, decorrelation; touches no case
           [--unknown K|FRACTION]              open set: hold K generators (or a share) out of the gallery
           [--save-embeddings FILE.npy]        also write the embeddings (FILE.npy + FILE.npy.json index)
           [--embeddings FILE.npy]             reuse such a cache instead of fingerprinting (same extractor
                                               and the same files required)
Gallery (known models; <home>/gallery.sqlite, seeded from the bundled default pack on first use)
  gallery enroll --name N [--family F] [--version V] [--source S] [--notes T] [--parent NAME] <files or folders...>
                                               fingerprint reference images into a model's gallery entry
  gallery list                                 models, lineage, and whether each fingerprint is current or stale
  gallery remove <name>
  gallery remove-reference --name N SHA256     remove one reference image (not the last); the fingerprint is recomputed
  gallery export [--models a,b] --out FILE     a pack (JSON) and FILE.sha256
  gallery import FILE [--allow-stale]          verify FILE.sha256 and import (another extractor's pack: metadata only)
  gallery verify                               check the gallery history's hash chain and its recorded head (exit 1 when broken)
  gallery history                              the history chain (time, action, model, who, entry hash) and its verification
  gallery undo SEQ                             undo the last change (entry SEQ: an enrolment, added references, a removed
                                               reference), recorded as a new history entry
Hash sets (known file hashes; <home>/hash-sets.sqlite, shared by every case)
  hashset import --name N --category C FILE    a plain SHA-256/MD5 list (one per line, # comments) or an NSRL
                                               RDS-style CSV; C: known-generated, known-camera-original,
                                               known-good, other; lines without a usable hash are counted and listed
  hashset list                                 the sets, their counts and their files' SHA-256
  hashset remove <name>
  hashset match --case <case>                  the case's items listed in a set (by SHA-256 or MD5), with set and category
  hashset verify                               check the hash-set history's chain (imports, removals) against its recorded head
Attribution (calibrated likelihood ratios; open set: attributed / inconclusive / no known model)
  attribute --case <case> [--items ...] [--set] [--top 5]
                                               fingerprint what is missing, then rank gallery models per item
                                               with calibrated LRs and decide (top log10 LR >= 1 attributed,
                                               <= -1 no known model); --set also attributes the items as one
                                               set (mean pooling, DeepSets when installed); recorded in the case
  verify-sets --case <case> --a 1,2 --b 5-9    1:1: were two sets of fingerprinted items made by the same model?
  calibrate <dir> --out FILE [--seed N] [--embeddings FILE.npy | --save-embeddings FILE.npy]
                                               fit the score-to-LR calibrations (single image; mean and DeepSets
                                               bags of 5/10/50) on a folder of generator folders used nowhere else
  corpus build --mirrors DIR [--source owner/name=PATH] [--out DIR] [--commit-manifest]
                                               the real-generator corpus (training/corpus/real-sources.json) from local
                                               copies of its repositories: <out>/<split>/<generator>/, manifest.tsv
C_T curves (layered encoder + bundled reference set; docs/methods.md §2)
  curve --case <case> [--items ...]            the C_T curve of the items as one set (CLS token after every
                                               block), recorded in the case; gallery curves ranked by the
                                               paper's match score (needs at least 21 images)
Audit
  audit verify --case <case>                   check the audit log's hash chain and its signed checkpoints,
                                               then sign a checkpoint of its head (key in <home>/keys)
  audit list --case <case>
Browser UI
  serve [--port N] [--static DIR]              serve the UI on 127.0.0.1 with a one-time token

<case> is a case number or a case id. The library defaults to ${defaultLibraryHome()}
(override with --home or MODELPRINT_HOME).
Exit codes: 0 ok, 1 integrity failure, 2 usage, 3 not found, 4 conflict, 5 some inputs unreadable or changed while read,
70 internal error, 130 cancelled.`;

const commands: Record<string, Command | Record<string, Command>> = {
  case: caseCommands,
  import: importCommand,
  verify: verifyCommand,
  export: exportCommand,
  provenance: provenanceCommand,
  report: reportCommand,
  fingerprint: fingerprintCommand,
  evaluate: evaluateCommand,
  gallery: galleryCommands,
  hashset: hashSetCommands,
  attribute: attributeCommand,
  curve: curveCommand,
  'verify-sets': verifySetsCommand,
  note: noteCommand,
  tag: tagCommand,
  bookmark: bookmarkCommand,
  conclusion: conclusionCommand,
  declaration: declarationCommand,
  signature: signatureCommand,
  review: reviewCommand,
  calibrate: calibrateCommand,
  corpus: corpusCommands,
  audit: auditCommands,
  serve: serveCommand,
};

function pickCommand(rest: string[]): { command: Command; args: string[] } {
  const [name, ...args] = rest;
  const entry = name === undefined ? undefined : commands[name];
  if (!entry) throw new UsageError(name ? `unknown command "${name}"\n\n${HELP}` : HELP);
  if (typeof entry === 'function') return { command: entry, args };
  const [sub, ...subArgs] = args;
  const command = sub === undefined ? undefined : entry[sub];
  if (!command) throw new UsageError(`usage: modelprint ${name} <${Object.keys(entry).join('|')}> ...`);
  return { command, args: subArgs };
}

function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return ExitCode.usage;
  if (isIntegrityError(error)) return ExitCode.integrityFailure;
  if (error instanceof ApiError) {
    return { invalid_input: ExitCode.usage, not_found: ExitCode.notFound, conflict: ExitCode.conflict, unsupported: ExitCode.usage, internal: ExitCode.internal }[error.code];
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return ExitCode.usage;
  if (code === 'EEXIST' || code === 'SQLITE_CONSTRAINT_TRIGGER') return ExitCode.conflict;
  if (code === 'ENOENT') return ExitCode.notFound;
  return ExitCode.internal;
}

export async function main(argv: string[]): Promise<number> {
  let json = false;
  exitQuietlyOnBrokenPipe();
  try {
    const { values, tokens } = parseArgs({
      args: argv,
      options: { home: { type: 'string' }, actor: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
      strict: false,
      tokens: true,
    });
    // Global options stand before the command; everything from the first positional on is the command's.
    const firstPositional = tokens.find((t) => t.kind === 'positional');
    const rest = firstPositional ? argv.slice(firstPositional.index) : [];
    json = values.json === true || rest.includes('--json');
    const commandArgs = rest.filter((a) => a !== '--json');
    if (values.version) {
      process.stdout.write(`${APP_VERSION}\n`);
      return ExitCode.ok;
    }
    if (values.help || rest.length === 0) {
      process.stdout.write(`${HELP}\n`);
      return values.help ? ExitCode.ok : ExitCode.usage;
    }
    const { command, args } = pickCommand(commandArgs);
    const library = new Library(typeof values.home === 'string' ? values.home : defaultLibraryHome());
    const ctx: CliContext = {
      library,
      actor: typeof values.actor === 'string' ? values.actor : defaultActor(),
      json,
      print: (line) => void process.stdout.write(`${terminalLines(line)}\n`),
      progress: (line) => void process.stderr.write(line),
      emitJson: (value) => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    };
    try {
      return await command(ctx, args);
    } finally {
      library.close();
    }
  } catch (error) {
    const code = exitCodeFor(error);
    const message = error instanceof Error ? error.message : String(error);
    if (json) process.stdout.write(`${JSON.stringify({ error: { exitCode: code, message } }, null, 2)}\n`);
    else process.stderr.write(`modelprint: ${terminalLines(message)}\n`);
    return code;
  }
}
