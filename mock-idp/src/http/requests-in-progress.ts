/**
 * Counts the requests a server is answering now, from their arrival to their response's close (sent, or the
 * connection gone), and picks where the next signature is made from that count.
 */
import type { RequestListener } from 'node:http';
import type { SigningThread } from '../keys/compact-jws.ts';

export class RequestsInProgress {
  #count = 0;

  get count(): number {
    return this.#count;
  }

  /** The listener, counting every request it is handed. */
  counting(listener: RequestListener): RequestListener {
    return (request, response) => {
      this.#count += 1;
      response.once('close', () => {
        this.#count -= 1;
      });
      listener(request, response);
    };
  }

  /**
   * A request alone signs on the event loop's thread, which has nothing else to do then: the quickest and cheapest.
   * With others in progress, on the thread pool, so a second core signs while the loop serves them.
   */
  readonly signingThread = (): SigningThread => (this.#count > 1 ? 'thread-pool' : 'inline');
}
