import { Box, Text } from 'ink';
import { toAnsi, type Line } from '../../text/lines.js';

/**
 * Pre-wrapped rows, one <Text> each. `truncate-end` is a safety net: our width arithmetic should
 * already fit, and a row Ink wrapped again would make the live region taller than we counted.
 */
export function Lines({ lines }: { lines: Line[] }) {
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate-end">
          {toAnsi(l) || ' '}
        </Text>
      ))}
    </Box>
  );
}
