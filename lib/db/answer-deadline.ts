import net from "node:net";

/**
 * Sockets for the postgres.js pool that give up on a database that stops answering.
 *
 * statement_timeout is enforced by the server, so a frozen server (stopped, swapped out, network black hole) would
 * leave queries on open connections waiting forever, and every request queued behind them. Here a connection that
 * has sent something and heard nothing back for `answerTimeoutMs` is destroyed: its query fails as "unavailable"
 * (503) and the pool opens a fresh connection next time. Idle connections are left alone.
 */
export const NOT_ANSWERING = "DB_NOT_ANSWERING";

type SocketOptions = { host: string[]; port: number[]; path?: string | false };

export function socketWithDeadlines(options: { connectTimeoutMs: number; answerTimeoutMs: number }) {
  return async ({ host, port, path }: SocketOptions): Promise<net.Socket> => {
    const socket = path ? net.connect(path) : net.connect(port[0] ?? 5432, host[0] ?? "localhost");
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        socket.destroy();
        reject(error);
      };
      socket.setTimeout(options.connectTimeoutMs, () =>
        fail(Object.assign(new Error("could not connect to the database in time"), { code: "CONNECT_TIMEOUT" })),
      );
      socket.once("error", fail);
      socket.once("connect", () => {
        socket.off("error", fail);
        resolve();
      });
    });

    let writtenAtLastAnswer = 0;
    socket.on("data", () => (writtenAtLastAnswer = socket.bytesWritten));
    // 'timeout' fires after this long without traffic either way; only a request left unanswered ends the socket.
    socket.setTimeout(options.answerTimeoutMs);
    socket.removeAllListeners("timeout");
    socket.on("timeout", () => {
      if (socket.bytesWritten > writtenAtLastAnswer) {
        socket.destroy(Object.assign(new Error("the database did not answer in time"), { code: NOT_ANSWERING }));
      }
    });
    return socket;
  };
}
