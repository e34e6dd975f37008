-- wrk script: POST /v1/batch with 20-event batches whose event ids never repeat, so every event
-- is a real insert. Usage (see scripts/bench): wrk -s tests/bench/ingest.lua http://HOST:PORT
local counter = 0
threadTag = "t"  -- set per thread by setup()
local threads = {}

function setup(thread)
  thread:set("threadTag", "t" .. #threads)
  table.insert(threads, thread)
end

-- `wrk ... -- PREFIX`: ids of their own for each of several wrk processes at once.
function init(args)
  if args[1] then threadTag = args[1] .. threadTag end
end

local token = "BIAAD6AEjRWeJq83veg0b"      -- a first share through x
local child = "BEEAD6RERIiIzM0REDDXn"      -- its reshare through copy
local address = "BcEAD6ZmZiIh3d2ZmKabl"    -- an address-bar token

local function event(kind, id)
  if kind == 0 then
    return '{"id":"' .. id .. '","t":1707670000000,"type":"share","content":"t-42","pv":"pageview-1","token":"'
      .. child .. '","parent":"' .. token .. '","channel":"copy"}'
  elseif kind == 1 then
    return '{"id":"' .. id .. '","t":1707670000000,"type":"clickback","content":"t-42","pv":"pageview-1","token":"'
      .. token .. '"}'
  elseif kind == 2 then
    return '{"id":"' .. id .. '","t":1707670000000,"type":"summary","content":"t-42","pv":"pv-' .. id
      .. '","seq":2,"viewable":true,"dwellMs":5400,"shares":{"x":1},"addressToken":"' .. address .. '"}'
  end
  return '{"id":"' .. id .. '","t":1707670000000,"type":"conversion","name":"signup","value":12.5}'
end

request = function()
  counter = counter + 1
  local events = {}
  for i = 1, 20 do
    events[i] = event(i % 4, "ev-" .. threadTag .. "-" .. counter .. "-" .. i)
  end
  local body = '{"v":1,"site":"bench","batch":"batch-' .. threadTag .. "-" .. counter
    .. '","visitor":"0123456789abcdef0123456789abcdef","sentAt":1707670000000,"events":['
    .. table.concat(events, ",") .. "]}"
  return wrk.format("POST", "/v1/batch", {
    ["Content-Type"] = "text/plain;charset=UTF-8",
    ["Origin"] = "https://www.bench.example",
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  }, body)
end

local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end
