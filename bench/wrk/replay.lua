-- Replays pre-signed raw HTTP requests (bench/load_bench.py writes them, each
-- distinct and signed for this server's host and the current time) in a
-- cycle; each wrk thread starts at its own offset. Usage:
--   wrk ... -s replay.lua URL -- FILE
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua"
local common = require("common")

local kSeparator = "\n--IAMLOCAL-REQUEST--\n"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local requests = {}
local next_index = 1

function init(args)
  local f = assert(io.open(args[1], "rb"))
  local text = f:read("*a")
  f:close()
  local start = 1
  while true do
    local i, j = string.find(text, kSeparator, start, true)
    if not i then break end
    requests[#requests + 1] = string.sub(text, start, i - 1)
    start = j + 1
  end
  next_index = ((tid or 1) - 1) * 97 % #requests + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

done = common.done
