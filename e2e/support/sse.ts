/** Reads an SSE response the way clients do (eventsource-parser), returning each event's data. */
import { createParser } from 'eventsource-parser';

export async function readSseEvents(response: Response): Promise<string[]> {
  const events: string[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event.data) });
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(chunk, { stream: true }));
  }
  return events;
}
