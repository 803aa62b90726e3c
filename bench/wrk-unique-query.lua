-- Defeats the dashboard's output cache, to measure what a render costs (bench/run.sh, docs/performance.md): every
-- request adds a query parameter the page ignores but the cache key includes (RenderedPageCache varies by every
-- query key), with a value no earlier request used. wrk's first argument after "--" names the series and round, so
-- no two wrk runs send the same values either, and each wrk thread adds its own number. Reports with
-- bench/wrk-report.lua's line.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk-report.lua")

local threads = 0
setup = function(thread) -- runs in the main Lua state, once per wrk thread
  threads = threads + 1
  thread:set("thread_number", threads)
end

local prefix, sent, separator
init = function(args)
  prefix = (args[1] or tostring(os.time())) .. "-" .. tostring(thread_number)
  sent = 0
  separator = wrk.path:find("?", 1, true) and "&" or "?"
end

request = function()
  sent = sent + 1
  return wrk.format(nil, wrk.path .. separator .. "bench-nocache=" .. prefix .. "-" .. sent)
end
