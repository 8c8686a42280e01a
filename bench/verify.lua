-- wrk script: POST verification request bodies in turn, with a bearer token and an operator.
--
--   DDS_BENCH_TOKEN=... wrk -t2 -c64 -d30s -s bench/verify.lua http://127.0.0.1:8080/v1/verifications -- claims.ndjson
--
-- The bodies (one JSON a line, e.g. the simulator's `claims` file) are read once per wrk thread at init; thread k
-- starts at the fraction (k × 0.618…) mod 1 of the file, so the threads do not send the same requests at once. The token comes
-- from the environment (DDS_BENCH_TOKEN), not the command line. Without a token no Authorization header is sent
-- (the baseline server needs none). Non-2xx answers are counted by wrk ("Non-2xx or 3xx responses").

local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local bodies = {}
local position = 1
local headers = {}
local path

function init(args)
  local file = args[1] or error("usage: wrk ... -s verify.lua URL -- BODIES_FILE")
  for line in io.lines(file) do
    if #line > 0 then
      bodies[#bodies + 1] = line
    end
  end
  if #bodies == 0 then
    error(file .. " holds no body")
  end
  position = 1 + math.floor(#bodies * ((id * 0.6180339887) % 1))
  headers["Content-Type"] = "application/json"
  headers["X-Operator-Id"] = os.getenv("DDS_BENCH_OPERATOR") or "teller-1"
  local token = os.getenv("DDS_BENCH_TOKEN")
  if token and #token > 0 then
    headers["Authorization"] = "Bearer " .. token
  end
  path = wrk.path
end

function request()
  local body = bodies[position]
  position = position + 1
  if position > #bodies then
    position = 1
  end
  return wrk.format("POST", path, headers, body)
end
