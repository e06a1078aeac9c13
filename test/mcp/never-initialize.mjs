// An MCP server that reads its stdin and never answers: `initialize` must time out.
process.stdin.resume();
setInterval(() => {}, 1000);
