// Signed checkpoints of a case's audit chain, so that its tamper evidence does not rest on the file
// it protects. The chain's head lives in the same database as the chain: someone who can edit the
// database (and read the source) can rewrite every entry and the head consistently. A checkpoint
// is the head (seq, entry hash) signed with this workstation's Ed25519 key, which lives in the
// library folder, outside every case. Checkpoints are appended to the case folder (they travel
// with the case) and to the library's own copy (so removing them from the case shows here).
//
// A rewritten chain no longer has the checkpointed hash at the checkpointed entry; a cut-off tail
// ends before the last checkpoint; a forged checkpoint fails its signature, or is signed by a key
// that is not this workstation's.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open-database.ts';
import { utcNow } from '../base/time.ts';

const CHECKPOINTS_FILE = 'audit-checkpoints.jsonl';
const KEY_FILE = 'audit-ed25519.pem';

export interface SigningKey {
  privateKey: KeyObject;
  publicKeyDer: Buffer;
  /** sha256 of the public key (SPKI DER), hex. */
  keyId: string;
}

export interface Checkpoint {
  v: 1;
  caseUuid: string;
  seq: number;
  entryHash: string;
  atUtc: string;
  keyId: string;
  /** SPKI DER, base64: lets another lab check the signature, and decide whether it trusts the key. */
  publicKey: string;
  signature: string;
}

export interface CheckpointProblem {
  seq: number;
  problem: 'bad_signature' | 'chain_rewritten' | 'tail_cut' | 'removed' | 'unreadable';
  message: string;
}

export interface CheckpointCheck {
  checkpoints: number;
  /** Checkpoints signed by keys other than this workstation's (another lab's, or forged). */
  foreignKeys: string[];
  problems: CheckpointProblem[];
}

function keyIdOf(publicKeyDer: Buffer): string {
  return createHash('sha256').update(publicKeyDer).digest('hex');
}

/** The workstation's signing key, <home>/keys/audit-ed25519.pem (made on first use, mode 0600). */
export function loadOrCreateSigningKey(home: string): SigningKey {
  const dir = path.join(home, 'keys');
  const file = path.join(dir, KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const privateKey = createPrivateKey(fs.readFileSync(file));
  const publicKeyDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { privateKey, publicKeyDer, keyId: keyIdOf(publicKeyDer) };
}

/** What is signed: the fields in a fixed order, as a JSON array (no canonicalisation games). */
function signedBytes(c: Omit<Checkpoint, 'signature' | 'publicKey'>): Buffer {
  return Buffer.from(JSON.stringify(['modelprint-audit-checkpoint', c.v, c.caseUuid, c.seq, c.entryHash, c.atUtc, c.keyId]), 'utf8');
}

function libraryCopy(home: string, caseUuid: string): string {
  return path.join(home, 'checkpoints', `${caseUuid}.jsonl`);
}

function readCheckpoints(file: string): { checkpoints: Checkpoint[]; unreadable: number } {
  if (!fs.existsSync(file)) return { checkpoints: [], unreadable: 0 };
  const checkpoints: Checkpoint[] = [];
  let unreadable = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      checkpoints.push(JSON.parse(line) as Checkpoint);
    } catch {
      unreadable++;
    }
  }
  return { checkpoints, unreadable };
}

function caseHead(db: Db): { caseUuid: string; seq: number; hash: string | null } {
  const row = db.prepare('SELECT case_uuid, audit_head_seq, audit_head_hash FROM case_info WHERE id = 1').get() as { case_uuid: string; audit_head_seq: number; audit_head_hash: string | null };
  return { caseUuid: row.case_uuid, seq: row.audit_head_seq, hash: row.audit_head_hash };
}

/**
 * Signs the case's current audit head and appends the checkpoint to the case folder and to the
 * library's copy; null for an empty log. Call with the chain verified: signing a tampered head
 * would vouch for it.
 */
export function writeCheckpoint(home: string, caseDir: string, db: Db, key: SigningKey = loadOrCreateSigningKey(home)): Checkpoint | null {
  const head = caseHead(db);
  if (head.hash === null) return null;
  // The head already signed by this key: nothing new to vouch for.
  const last = readCheckpoints(path.join(caseDir, CHECKPOINTS_FILE)).checkpoints.at(-1);
  if (last && last.seq === head.seq && last.entryHash === head.hash && last.keyId === key.keyId) return last;
  const unsigned = { v: 1 as const, caseUuid: head.caseUuid, seq: head.seq, entryHash: head.hash, atUtc: utcNow(), keyId: key.keyId };
  const checkpoint: Checkpoint = {
    ...unsigned,
    publicKey: key.publicKeyDer.toString('base64'),
    signature: sign(null, signedBytes(unsigned), key.privateKey).toString('base64'),
  };
  const line = `${JSON.stringify(checkpoint)}\n`;
  for (const file of [path.join(caseDir, CHECKPOINTS_FILE), libraryCopy(home, head.caseUuid)]) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, line, { mode: 0o644 });
  }
  return checkpoint;
}

function signatureValid(c: Checkpoint): boolean {
  try {
    const der = Buffer.from(c.publicKey, 'base64');
    if (keyIdOf(der) !== c.keyId) return false;
    const publicKey = createPublicKey({ key: der, format: 'der', type: 'spki' });
    return verify(null, signedBytes(c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Checks every checkpoint of the case (its own and the library's copy) against the audit log. */
export function verifyCheckpoints(home: string, caseDir: string, db: Db): CheckpointCheck {
  const head = caseHead(db);
  const ownKey = fs.existsSync(path.join(home, 'keys', KEY_FILE)) ? loadOrCreateSigningKey(home).keyId : null;
  const inCase = readCheckpoints(path.join(caseDir, CHECKPOINTS_FILE));
  const inLibrary = readCheckpoints(libraryCopy(home, head.caseUuid));
  const problems: CheckpointProblem[] = [];
  const foreign = new Set<string>();
  if (inCase.unreadable + inLibrary.unreadable > 0) {
    problems.push({ seq: 0, problem: 'unreadable', message: `${inCase.unreadable + inLibrary.unreadable} checkpoint line(s) cannot be read` });
  }
  const identity = (c: Checkpoint) => JSON.stringify([c.seq, c.entryHash, c.atUtc, c.keyId, c.signature]);
  const seen = new Set(inCase.checkpoints.map(identity));
  for (const c of inLibrary.checkpoints) {
    if (!seen.has(identity(c))) {
      problems.push({ seq: c.seq, problem: 'removed', message: `the checkpoint of entry ${c.seq} made on this workstation at ${c.atUtc} is missing from the case folder` });
    }
  }
  const all = [...inCase.checkpoints, ...inLibrary.checkpoints.filter((c) => !seen.has(identity(c)))];
  const entryHash = db.prepare('SELECT entry_hash FROM audit_log WHERE seq = ?');
  for (const c of all) {
    if (c.caseUuid !== head.caseUuid || !signatureValid(c)) {
      problems.push({ seq: c.seq, problem: 'bad_signature', message: `the checkpoint of entry ${c.seq} does not carry a valid signature for this case: it was forged or changed` });
      continue;
    }
    if (c.keyId !== ownKey) foreign.add(c.keyId);
    if (c.seq > head.seq) {
      problems.push({ seq: c.seq, problem: 'tail_cut', message: `a checkpoint signed at ${c.atUtc} vouches for entry ${c.seq}, but the log now ends at entry ${head.seq}: entries were cut off` });
      continue;
    }
    const row = entryHash.get(c.seq) as { entry_hash: string } | undefined;
    if (row?.entry_hash !== c.entryHash) {
      problems.push({ seq: c.seq, problem: 'chain_rewritten', message: `entry ${c.seq} is not the entry signed at ${c.atUtc}: the log was rewritten up to or past it` });
    }
  }
  return { checkpoints: all.length, foreignKeys: [...foreign], problems };
}
