// Child process: the reference, i.e. the same work done the obvious way, one file at a time:
// read the whole file, hash it twice, write the copy, ask sharp for metadata and a thumbnail,
// insert one row per file with autocommit. Prints one JSON line.
// Usage: node measure-naive-intake.ts <image folder> <scratch folder>
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { quarterMarker, RssSampler } from '../rss-sampler.ts';
import { startClocks, type IntakeMeasurement } from './measurement.ts';

const [imageDir, scratch] = process.argv.slice(2);
if (!imageDir || !scratch) throw new Error('usage: measure-naive-intake.ts <image folder> <scratch folder>');

const files = fs.readdirSync(imageDir).sort().map((name) => path.join(imageDir, name));
fs.mkdirSync(path.join(scratch, 'store'), { recursive: true });
const db = new Database(path.join(scratch, 'naive.sqlite'));
db.exec(`CREATE TABLE items (sha256 TEXT PRIMARY KEY, md5 TEXT, size INTEGER, path TEXT, format TEXT,
  width INTEGER, height INTEGER, channels INTEGER)`);
const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?)');

const sampler = new RssSampler();
const mark = quarterMarker(sampler, files.length);
const stopClocks = startClocks();
for (const [i, file] of files.entries()) {
  const bytes = await fs.promises.readFile(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const md5 = createHash('md5').update(bytes).digest('hex');
  await fs.promises.writeFile(path.join(scratch, 'store', sha256), bytes);
  const meta = await sharp(bytes).metadata();
  const thumb = await sharp(bytes).resize(256, 256, { fit: 'inside' }).webp({ quality: 80 }).toBuffer();
  await fs.promises.writeFile(path.join(scratch, 'store', `${sha256}.webp`), thumb);
  insert.run(sha256, md5, bytes.length, file, meta.format, meta.width, meta.height, meta.channels);
  mark(i + 1);
}
const timing = stopClocks(files.length);
const rss = sampler.stop();
db.close();
const result: IntakeMeasurement = { ...timing, rss };
process.stdout.write(`${JSON.stringify(result)}\n`);
