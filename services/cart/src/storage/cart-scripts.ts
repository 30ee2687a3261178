/**
 * Lua scripts that change one cart atomically. A cart is one hash (key format in migrations/V1): `q:<product_id>`
 * holds a line's quantity, `o:<product_id>` its first-added sequence number, `_seq` the last sequence number and
 * `_updated` the last write in Unix milliseconds. Every script takes the cart key as KEYS[1] and the TTL in seconds
 * as ARGV[1], and answers { status, held, fields, pttl, now_ms }. A script reads the clock once, so `_updated` and
 * now_ms are the same instant and a reply's expiry (now_ms + pttl) is never more than the TTL after its update.
 */
const prelude = `
local key = KEYS[1]
local ttl = tonumber(ARGV[1])
local metaFields = 2
local scriptNowMs
local function nowMs()
  if not scriptNowMs then
    local t = redis.call('TIME')
    scriptNowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return scriptNowMs
end
local function quantityOf(productId)
  local value = redis.call('HGET', key, 'q:' .. productId)
  if value then return tonumber(value) end
  return 0
end
local function lineCount()
  if redis.call('EXISTS', key) == 0 then return 0 end
  return (redis.call('HLEN', key) - metaFields) / 2
end
local function snapshot(status, held)
  return { status, held, redis.call('HGETALL', key), redis.call('PTTL', key), nowMs() }
end
local function setLine(productId, quantity)
  if redis.call('HEXISTS', key, 'o:' .. productId) == 0 then
    redis.call('HSET', key, 'o:' .. productId, redis.call('HINCRBY', key, '_seq', 1))
  end
  redis.call('HSET', key, 'q:' .. productId, quantity)
end
local function removeLine(productId)
  return redis.call('HDEL', key, 'q:' .. productId, 'o:' .. productId) > 0
end
local function removeLines(first)
  local removed = false
  for i = first, #ARGV do
    removed = removeLine(ARGV[i]) or removed
  end
  return removed
end
local function commit(changed)
  if redis.call('HLEN', key) <= metaFields then
    redis.call('DEL', key)
  elseif changed then
    redis.call('HSET', key, '_updated', nowMs())
    redis.call('EXPIRE', key, ttl)
  end
  return snapshot('ok', 0)
end
`;

/** Reads a cart. */
export const getCartLua = `${prelude}
return snapshot('ok', 0)`;

/** ARGV[2] product id, ARGV[3] units to add, ARGV[4] max quantity, ARGV[5] max lines. */
export const addItemLua = `${prelude}
local productId, units, maxQuantity, maxLines = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local current = quantityOf(productId)
if current + units > maxQuantity then return snapshot('quantity', current) end
if current == 0 and lineCount() >= maxLines then return snapshot('lines', lineCount()) end
setLine(productId, current + units)
return commit(true)`;

/** ARGV[2] product id, ARGV[3] quantity (0 removes the line), ARGV[4] max lines. */
export const setQuantityLua = `${prelude}
local productId, quantity, maxLines = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
if quantity == 0 then return commit(removeLine(productId)) end
if quantityOf(productId) == 0 and lineCount() >= maxLines then return snapshot('lines', lineCount()) end
setLine(productId, quantity)
return commit(true)`;

/** ARGV[2..] product ids; none removes every line. */
export const removeLinesLua = `${prelude}
if #ARGV < 2 then
  redis.call('DEL', key)
  return snapshot('ok', 0)
end
return commit(removeLines(2))`;

/** KEYS[2] the event's marker key, ARGV[2] the marker's TTL in seconds, ARGV[3..] product ids. */
export const removeOrderedLinesLua = `${prelude}
if redis.call('EXISTS', KEYS[2]) == 1 then return snapshot('duplicate', 0) end
redis.call('SET', KEYS[2], '1', 'EX', tonumber(ARGV[2]))
return commit(removeLines(3))`;
