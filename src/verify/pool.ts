/**
 * `items.map(work)` with at most `limit` calls of `work` running at once, in
 * the items' order. verify reads one kubelet configuration per node through
 * the API server: all at once, a thousand nodes would open a thousand sockets
 * (past a 256 file descriptor limit, every one beyond it fails as if the node
 * could not be reached) and load the API server for nothing.
 */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
