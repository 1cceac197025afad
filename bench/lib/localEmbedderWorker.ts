/**
 * The worker side of LocalFakeEmbedder: embeds with the fake's function and transfers the floats.
 * Texts sent ahead with `prepare` are embedded before indexing starts, so during indexing the
 * worker only hands vectors over, as a remote service would, and leaves the CPU to the indexer.
 */
import { parentPort } from 'node:worker_threads';
import { fakeEmbedding } from '../../test/fakes/fakeEmbedding';

const ready = new Map<string, Float32Array>();

parentPort?.on('message', (m: { id: number; texts: string[]; dimensions: number; prepare?: boolean }) => {
  if (m.prepare) {
    for (const t of m.texts) if (!ready.has(t)) ready.set(t, fakeEmbedding(t, m.dimensions));
    parentPort?.postMessage({ id: m.id, flat: new Float32Array(0) });
    return;
  }
  const flat = new Float32Array(m.texts.length * m.dimensions);
  m.texts.forEach((t, i) => {
    flat.set(ready.get(t) ?? fakeEmbedding(t, m.dimensions), i * m.dimensions);
    ready.delete(t);
  });
  parentPort?.postMessage({ id: m.id, flat }, [flat.buffer]);
});
