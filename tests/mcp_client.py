"""A real MCP client for tests/mcp.rs: the official Python SDK (`mcp` on PyPI).

Usage: python mcp_client.py CALLS.json -- COMMAND [ARGS...]

Starts COMMAND as an MCP server over stdio, lists its tools, makes each call in CALLS.json
(a list of {"tool": name, "args": {...}}) and prints one JSON object on stdout:
{"server": {...}, "tools": [...], "calls": [{"tool", "args", "isError", "text", "structured"}]}.
The Rust test asserts on that; this script only drives the protocol.
"""

import asyncio
import json
import sys

from mcp import Client
from mcp.client.stdio import StdioServerParameters


def dump(value):
    """A pydantic model (or plain value) as JSON-ready data."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return value


async def main(calls_file, command):
    with open(calls_file, encoding="utf-8") as f:
        calls = json.load(f)
    server = StdioServerParameters(command=command[0], args=command[1:])
    out = {"tools": [], "calls": []}
    async with Client(server, read_timeout_seconds=60) as client:
        info = getattr(client, "server_info", None) or getattr(client, "initialize_result", None)
        out["server"] = dump(info) if info is not None else None
        listed = await client.list_tools()
        out["tools"] = [
            {"name": t.name, "description": t.description, "inputSchema": dump(t.input_schema)}
            for t in listed.tools
        ]
        for call in calls:
            result = await client.call_tool(call["tool"], call.get("args") or {})
            texts = [c.text for c in result.content if getattr(c, "type", "") == "text"]
            out["calls"].append(
                {
                    "tool": call["tool"],
                    "args": call.get("args") or {},
                    "isError": bool(result.is_error),
                    "text": texts[0] if texts else "",
                    "texts": texts,
                    "structured": result.structured_content,
                }
            )
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1], sys.argv[3:]))
