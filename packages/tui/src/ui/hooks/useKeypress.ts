import { useStdin } from 'ink';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { InputDecoder, type InputEvent } from '../keys/parse.js';

/**
 * Our own key layer over Ink's stdin: Ink's parser splits raw input into text runs and escape
 * sequences; we decode keys and bracketed pastes from those (Ink 6.8 has no paste support).
 */
export function useKeypress(handler: (e: InputEvent) => void): void {
  const { internal_eventEmitter: emitter, setRawMode, isRawModeSupported } = useStdin();
  // The latest handler, for input that arrives between renders (set after each commit, not during render).
  const ref = useRef(handler);
  useLayoutEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    const decoder = new InputDecoder();
    const onInput = (raw: string) => {
      for (const ev of decoder.push(raw)) ref.current(ev);
    };
    emitter.on('input', onInput);
    return () => {
      emitter.off('input', onInput);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [emitter, setRawMode, isRawModeSupported]);
}
