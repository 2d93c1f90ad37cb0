#!/usr/bin/env python3
"""Writes the offline exchange recordings served by `mdp-fake-exchange --dir examples/offline`.

The numbers are SYNTHETIC (a deterministic random walk), not market data: they exist so the
platform can be tried without internet. The bodies follow each exchange's documented response
format exactly (field names, order, types, decimals as strings), so the real plugins parse them.

Usage: examples/offline/generate.py [--out DIR]   (default: this script's folder)
Run it after changing this file and commit the output; a ctest test regenerates into a
temporary folder and fails when the committed files differ.

Recorded, for January 2024 (UTC) = [RANGE_START_MS, RANGE_END_MS):
  binance_futures  exchangeInfo; klines BTCUSDT 1h (one request: the host asks for the whole
                   month in one page, startTime=1704067200000 endTime=1706745599999)
  hyperliquid      meta, spotMeta; candleSnapshot BTC 1h (served for any range: the plugin keeps
                   only the rows inside the range it asked for)
  coinbase         products (SPOT, FUTURE, FUTURE+PERPETUAL); candles BTC-USD ONE_HOUR (the
                   three pages the host asks for: 350 + 350 + 44 buckets)
"""

import argparse
import calendar
import json
import os
import time

HOUR_MS = 3_600_000
RANGE_START_MS = calendar.timegm((2024, 1, 1, 0, 0, 0)) * 1000   # 1704067200000
RANGE_END_MS = calendar.timegm((2024, 2, 1, 0, 0, 0)) * 1000     # 1706745600000
HOURS = (RANGE_END_MS - RANGE_START_MS) // HOUR_MS                # 744
SERVER_TIME_MS = RANGE_END_MS                                     # "recorded" at the end of the month

BINANCE_PAGE_CAP = 1500   # klines limit max (plugins/binance/README.md)
COINBASE_PAGE_CAP = 350   # candles per request (plugins/coinbase/README.md)

OFFLINE_NOTE = ("offline recording: only January 2024 1h candles are recorded "
                "(see examples/offline/README.md)")


def ms(year, month, day, hour=0, minute=0):
    return calendar.timegm((year, month, day, hour, minute, 0)) * 1000


def iso(ms_value):
    t = ms_value // 1000
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % time.gmtime(t)[:6]


class SplitMix64:
    """Deterministic 64-bit generator (same sequence on every machine and Python version)."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def between(self, low, high):
        """Integer in [low, high]."""
        return low + self.next() % (high - low + 1)


def fixed(units, decimals):
    """Integer `units` of 10^-decimals as decimal text with exactly `decimals` places."""
    sign = "-" if units < 0 else ""
    units = abs(units)
    if decimals == 0:
        return sign + str(units)
    whole, frac = divmod(units, 10 ** decimals)
    return "%s%d.%0*d" % (sign, whole, decimals, frac)


def btc_hours():
    """One synthetic BTC/USD hour per bucket: prices in cents, volume in 10^-8 BTC, trades."""
    rng = SplitMix64(20240101)
    price = 4_228_350  # cents
    out = []
    for i in range(HOURS):
        open_c = price
        step_bp = rng.between(-55, 58)  # basis points, a slight upward drift
        close_c = open_c + open_c * step_bp // 10_000
        high_c = max(open_c, close_c) + open_c * rng.between(0, 30) // 10_000
        low_c = min(open_c, close_c) - open_c * rng.between(0, 30) // 10_000
        volume_sat = rng.between(250, 2_400) * 100_000_000 + rng.between(0, 99_999_999)
        trades = volume_sat // 4_000_000 + rng.between(0, 5_000)
        out.append({"open_ms": RANGE_START_MS + i * HOUR_MS, "o": open_c, "h": high_c, "l": low_c,
                    "c": close_c, "volume_sat": volume_sat, "trades": trades})
        price = close_c
    return out


# ------------------------------------------------------------------ Binance USD-M Futures

def binance_filter_set(min_price, max_price, tick, min_qty, max_qty, step, market_max_qty, notional):
    return [
        {"minPrice": min_price, "maxPrice": max_price, "filterType": "PRICE_FILTER", "tickSize": tick},
        {"minQty": min_qty, "maxQty": max_qty, "stepSize": step, "filterType": "LOT_SIZE"},
        {"filterType": "MARKET_LOT_SIZE", "minQty": min_qty, "maxQty": market_max_qty, "stepSize": step},
        {"filterType": "MAX_NUM_ORDERS", "limit": 200},
        {"limit": 10, "filterType": "MAX_NUM_ALGO_ORDERS"},
        {"notional": notional, "filterType": "MIN_NOTIONAL"},
        {"multiplierDown": "0.9500", "filterType": "PERCENT_PRICE", "multiplierUp": "1.0500",
         "multiplierDecimal": "4"},
    ]


def binance_symbol(symbol, pair, contract_type, delivery, onboard, status, base, price_precision,
                   quantity_precision, filters):
    return {
        "symbol": symbol, "pair": pair, "contractType": contract_type, "deliveryDate": delivery,
        "onboardDate": onboard, "status": status, "maintMarginPercent": "2.5000",
        "requiredMarginPercent": "5.0000", "baseAsset": base, "quoteAsset": "USDT", "marginAsset": "USDT",
        "pricePrecision": price_precision, "quantityPrecision": quantity_precision, "baseAssetPrecision": 8,
        "quotePrecision": 8, "underlyingType": "COIN", "underlyingSubType": [], "triggerProtect": "0.0500",
        "liquidationFee": "0.012500", "marketTakeBound": "0.05", "maxMoveOrderLimit": 10000,
        "filters": filters,
        "orderTypes": ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET",
                       "TRAILING_STOP_MARKET"],
        "timeInForce": ["GTC", "IOC", "FOK", "GTX", "GTD"],
    }


def binance_exchange_info():
    perpetual_delivery = 4133404800000  # Binance's far-future sentinel for perpetuals
    btc = binance_filter_set("556.80", "4529764", "0.10", "0.001", "1000", "0.001", "120", "100")
    eth = binance_filter_set("39.86", "306177", "0.01", "0.001", "10000", "0.001", "2000", "20")
    sol = binance_filter_set("0.4200", "6857", "0.0010", "1", "1000000", "1", "5000", "5")
    pepe = binance_filter_set("0.0000010", "0.2000000", "0.0000001", "1", "800000000", "1", "80000000", "5")
    quarter = binance_filter_set("576.30", "4529764", "0.10", "0.001", "500", "0.001", "50", "5")
    symbols = [
        binance_symbol("BTCUSDT", "BTCUSDT", "PERPETUAL", perpetual_delivery, ms(2019, 9, 25, 8), "TRADING",
                       "BTC", 2, 3, btc),
        binance_symbol("ETHUSDT", "ETHUSDT", "PERPETUAL", perpetual_delivery, ms(2019, 11, 27, 8), "TRADING",
                       "ETH", 2, 3, eth),
        binance_symbol("SOLUSDT", "SOLUSDT", "PERPETUAL", perpetual_delivery, ms(2020, 9, 14, 8), "TRADING",
                       "SOL", 4, 0, sol),
        binance_symbol("1000PEPEUSDT", "1000PEPEUSDT", "PERPETUAL", perpetual_delivery, ms(2023, 5, 5, 8),
                       "TRADING", "1000PEPE", 7, 0, pepe),
        binance_symbol("BTCUSDT_240329", "BTCUSDT", "CURRENT_QUARTER", ms(2024, 3, 29, 8), ms(2023, 9, 29, 8),
                       "TRADING", "BTC", 1, 3, quarter),
        binance_symbol("BTCUSDT_240628", "BTCUSDT", "NEXT_QUARTER", ms(2024, 6, 28, 8), ms(2023, 12, 29, 8),
                       "TRADING", "BTC", 1, 3, quarter),
        # A delisted perpetual lingers as SETTLING with its delisting time as deliveryDate.
        binance_symbol("SRMUSDT", "SRMUSDT", "PERPETUAL", ms(2022, 11, 23, 8), ms(2021, 1, 5, 8), "SETTLING",
                       "SRM", 4, 0, sol),
    ]
    return {
        "timezone": "UTC",
        "serverTime": SERVER_TIME_MS,
        "futuresType": "U_MARGINED",
        "rateLimits": [
            {"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": 2400},
            {"rateLimitType": "ORDERS", "interval": "MINUTE", "intervalNum": 1, "limit": 1200},
            {"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": 300},
        ],
        "exchangeFilters": [],
        "assets": [
            {"asset": "USDT", "marginAvailable": True, "autoAssetExchange": "-10000"},
            {"asset": "BTC", "marginAvailable": True, "autoAssetExchange": "-0.10000000"},
        ],
        "symbols": symbols,
    }


def binance_klines(hours):
    """klines rows: prices with pricePrecision 2 (tick 0.10), volume 3 places, quote volume 5."""
    rows = []
    for h in hours:
        dimes = {k: h[k] // 10 for k in ("o", "h", "l", "c")}
        volume_milli = h["volume_sat"] // 100_000
        vwap_dimes = (dimes["o"] + dimes["c"]) // 2
        taker_milli = volume_milli * (45 + h["trades"] % 11) // 100
        rows.append([
            h["open_ms"], fixed(dimes["o"] * 10, 2), fixed(dimes["h"] * 10, 2), fixed(dimes["l"] * 10, 2),
            fixed(dimes["c"] * 10, 2), fixed(volume_milli, 3), h["open_ms"] + HOUR_MS - 1,
            fixed(volume_milli * vwap_dimes * 10, 5), h["trades"], fixed(taker_milli, 3),
            fixed(taker_milli * vwap_dimes * 10, 5), "0",
        ])
    return rows


# ------------------------------------------------------------------ Hyperliquid

def hyperliquid_meta():
    return {
        "universe": [
            {"szDecimals": 5, "name": "BTC", "maxLeverage": 40, "marginTableId": 56},
            {"szDecimals": 4, "name": "ETH", "maxLeverage": 25, "marginTableId": 55},
            {"szDecimals": 2, "name": "SOL", "maxLeverage": 20, "marginTableId": 54},
            {"szDecimals": 0, "name": "kPEPE", "maxLeverage": 10, "marginTableId": 10},
            {"szDecimals": 1, "name": "LOOM", "maxLeverage": 3, "marginTableId": 3, "onlyIsolated": True,
             "isDelisted": True},
        ],
        "marginTables": [
            [3, {"description": "", "marginTiers": [{"lowerBound": "0.0", "maxLeverage": 3}]}],
            [10, {"description": "", "marginTiers": [{"lowerBound": "0.0", "maxLeverage": 10}]}],
            [54, {"description": "tiered 20x", "marginTiers": [{"lowerBound": "0.0", "maxLeverage": 20},
                                                              {"lowerBound": "70000000.0", "maxLeverage": 10}]}],
            [55, {"description": "tiered 25x", "marginTiers": [{"lowerBound": "0.0", "maxLeverage": 25},
                                                              {"lowerBound": "100000000.0", "maxLeverage": 15}]}],
            [56, {"description": "tiered 40x", "marginTiers": [{"lowerBound": "0.0", "maxLeverage": 40},
                                                              {"lowerBound": "150000000.0", "maxLeverage": 20}]}],
        ],
    }


def hyperliquid_token(name, sz, wei, index, token_id):
    return {"name": name, "szDecimals": sz, "weiDecimals": wei, "index": index, "tokenId": token_id,
            "isCanonical": index < 2, "evmContract": None, "fullName": None, "deployerTradingFeeShare": "0.0"}


def hyperliquid_spot_meta():
    return {
        "universe": [
            {"tokens": [1, 0], "name": "PURR/USDC", "index": 0, "isCanonical": True},
            {"tokens": [150, 0], "name": "@107", "index": 107, "isCanonical": False},
            {"tokens": [197, 0], "name": "@142", "index": 142, "isCanonical": False},
        ],
        "tokens": [
            hyperliquid_token("USDC", 8, 8, 0, "0x6d1e7cde53ba9467b783cb7c530ce054"),
            hyperliquid_token("PURR", 0, 5, 1, "0xc1fb593aeffbeb02f85e0308e9956a90"),
            hyperliquid_token("HYPE", 2, 8, 150, "0x0d01dc56dcaaca66ad901c959b4011ec"),
            hyperliquid_token("UBTC", 5, 10, 197, "0x8f254b963e8468305d409b33aa137c67"),
        ],
    }


def hyperliquid_candles(hours):
    """candleSnapshot rows: BTC prices at 5 significant figures (whole dollars), volume 5 places."""
    rows = []
    for h in hours:
        dollars = {k: (h[k] + 50) // 100 for k in ("o", "h", "l", "c")}
        volume = h["volume_sat"] // 1000 // 9  # 10^-5 BTC, a smaller venue than Binance
        rows.append({"t": h["open_ms"], "T": h["open_ms"] + HOUR_MS - 1, "s": "BTC", "i": "1h",
                     "o": fixed(dollars["o"] * 10, 1), "c": fixed(dollars["c"] * 10, 1),
                     "h": fixed(dollars["h"] * 10, 1), "l": fixed(dollars["l"] * 10, 1),
                     "v": fixed(volume, 5), "n": h["trades"] // 7})
    return rows


# ------------------------------------------------------------------ Coinbase Advanced Trade

def coinbase_product(product_id, product_type, base, quote, price, base_increment, quote_increment,
                     base_min, quote_min, price_increment, alias="", alias_to=None, details=None,
                     venue="CBE", status="online", display_name=None, base_name="", quote_name="US Dollar"):
    product = {
        "product_id": product_id, "price": price, "price_percentage_change_24h": "1.27402217637523",
        "volume_24h": "12004.81726341", "volume_percentage_change_24h": "-8.12733094917634",
        "base_increment": base_increment, "quote_increment": quote_increment, "quote_min_size": quote_min,
        "quote_max_size": "150000000", "base_min_size": base_min, "base_max_size": "3400",
        "base_name": base_name, "quote_name": quote_name, "watched": False, "is_disabled": False, "new": False,
        "status": status, "cancel_only": False, "limit_only": False, "post_only": False,
        "trading_disabled": False, "auction_mode": False, "product_type": product_type,
        "quote_currency_id": quote, "base_currency_id": base if product_type == "SPOT" else "",
        "fcm_trading_session_details": None, "mid_market_price": "", "alias": alias,
        "alias_to": alias_to or [], "base_display_symbol": base, "quote_display_symbol": quote,
        "view_only": False, "price_increment": price_increment, "display_name": display_name or product_id,
        "product_venue": venue, "approximate_quote_24h_volume": "508871322.43", "new_at": None,
        "market_cap": "", "base_cbrn": "", "quote_cbrn": "", "product_cbrn": "", "icon_color": "",
        "icon_url": "", "display_name_overwrite": "", "is_alpha_testing": False, "about_description": "",
        "best_bid_price": "", "best_ask_price": "",
    }
    if details is not None:
        product["future_product_details"] = details
    return product


def coinbase_future_details(venue, code, expiry_ms, size, root, expiry_type, group, display):
    return {
        "venue": venue, "contract_code": code, "contract_expiry": iso(expiry_ms), "contract_size": size,
        "contract_root_unit": root, "group_description": group, "contract_expiry_timezone": "Europe/London",
        "group_short_description": group, "risk_managed_by": "MANAGED_BY_FCM",
        "contract_expiry_type": expiry_type,
        "perpetual_details": {"open_interest": "", "funding_rate": "", "funding_time": None, "max_leverage": "",
                              "base_asset_uuid": "", "underlying_type": ""},
        "contract_display_name": display, "time_to_expiry_ms": str(max(0, expiry_ms - SERVER_TIME_MS)),
        "non_crypto": False, "contract_expiry_name": iso(expiry_ms)[:7], "twenty_four_by_seven": True,
        "funding_interval": "", "open_interest": "", "funding_rate": "", "funding_time": None,
        "display_name": display, "region_enabled": {}, "futures_asset_type": "FUTURES_ASSET_TYPE_CRYPTO",
    }


def coinbase_products_spot():
    products = [
        coinbase_product("BTC-USD", "SPOT", "BTC", "USD", "42580.01", "0.00000001", "0.01", "0.00000001", "1",
                         "0.01", alias_to=["BTC-USDC"], base_name="Bitcoin"),
        coinbase_product("BTC-USDC", "SPOT", "BTC", "USDC", "42580.01", "0.00000001", "0.01", "0.00000001", "1",
                         "0.01", alias="BTC-USD", base_name="Bitcoin", quote_name="USDC"),
        coinbase_product("ETH-USD", "SPOT", "ETH", "USD", "2282.19", "0.00000001", "0.01", "0.00000001", "1",
                         "0.01", base_name="Ethereum"),
        coinbase_product("SOL-USD", "SPOT", "SOL", "USD", "100.36", "0.001", "0.01", "0.001", "1", "0.01",
                         base_name="Solana"),
    ]
    return {"products": products, "num_products": len(products)}


def coinbase_products_future():
    expiry = ms(2024, 2, 23, 16)
    products = [
        coinbase_product("BIT-23FEB24-CDE", "FUTURE", "BTC", "USD", "42705", "1", "0.01", "1", "0", "5",
                         venue="FCM", status="", display_name="BTC 23 FEB 24",
                         details=coinbase_future_details("cde", "BIT", expiry, "0.01", "BTC", "EXPIRING",
                                                         "Nano Bitcoin Futures", "BTC 23 FEB 24")),
        coinbase_product("ET-23FEB24-CDE", "FUTURE", "ETH", "USD", "2289.5", "1", "0.01", "1", "0", "0.5",
                         venue="FCM", status="", display_name="ETH 23 FEB 24",
                         details=coinbase_future_details("cde", "ET", expiry, "0.1", "ETH", "EXPIRING",
                                                         "Nano Ether Futures", "ETH 23 FEB 24")),
    ]
    return {"products": products, "num_products": len(products)}


def coinbase_products_perpetual():
    far = ms(2099, 12, 31, 0)
    products = [
        coinbase_product("BTC-PERP-INTX", "FUTURE", "BTC", "USDC", "42571.3", "0.0001", "0.1", "0.0001", "10",
                         "0.1", venue="INTX", status="", display_name="BTC PERP", quote_name="USDC",
                         details=coinbase_future_details("intx", "BTC", far, "1", "BTC", "PERPETUAL",
                                                         "BTC Perpetual", "BTC PERP")),
        coinbase_product("ETH-PERP-INTX", "FUTURE", "ETH", "USDC", "2281.64", "0.001", "0.01", "0.001", "10",
                         "0.01", venue="INTX", status="", display_name="ETH PERP", quote_name="USDC",
                         details=coinbase_future_details("intx", "ETH", far, "1", "ETH", "PERPETUAL",
                                                         "ETH Perpetual", "ETH PERP")),
    ]
    return {"products": products, "num_products": len(products)}


def coinbase_pages():
    """The windows the host asks for (PagePlan: 350 buckets each) and the plugin's request
    parameters for each (plugins/coinbase/README.md: start = a0/1000 - 1, end = window end/1000 - 1,
    limit = min(n + 1, 350))."""
    pages = []
    first = 0
    while first < HOURS:
        n = min(COINBASE_PAGE_CAP, HOURS - first)
        a0 = RANGE_START_MS + first * HOUR_MS
        pages.append({"first": first, "count": n, "start": a0 // 1000 - 1,
                      "end": (a0 + n * HOUR_MS) // 1000 - 1, "limit": min(n + 1, COINBASE_PAGE_CAP)})
        first += n
    return pages


def coinbase_candles(hours):
    """Rows newest first, as Coinbase sends them; prices in cents, volume 8 places."""
    rows = []
    for h in hours:
        cents = {k: h[k] + 7 for k in ("o", "h", "l", "c")}  # a few cents off Binance, as venues are
        rows.append({"start": str(h["open_ms"] // 1000), "low": fixed(cents["l"], 2),
                     "high": fixed(cents["h"], 2), "open": fixed(cents["o"], 2), "close": fixed(cents["c"], 2),
                     "volume": fixed(h["volume_sat"] // 6, 8)})
    rows.reverse()
    return rows


# ------------------------------------------------------------------ output

def dump(value):
    """Compact JSON like the exchanges send, but one array element per line so diffs stay readable."""
    def compact(v):
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)

    if isinstance(value, list):
        return "[\n" + ",\n".join(compact(v) for v in value) + "\n]\n"
    if isinstance(value, dict):
        parts = []
        for key, v in value.items():
            if isinstance(v, list) and v and isinstance(v[0], dict):
                inner = ",\n".join(compact(item) for item in v)
                parts.append(compact(key) + ":[\n" + inner + "\n]")
            else:
                parts.append(compact(key) + ":" + compact(v))
        return "{" + ",\n".join(parts) + "}\n"
    return compact(value) + "\n"


def routes(pages):
    binance_error = json.dumps({"code": -1130, "msg": OFFLINE_NOTE}, separators=(",", ":"))
    coinbase_error = json.dumps({"error": "INVALID_ARGUMENT", "error_details": OFFLINE_NOTE,
                                 "message": OFFLINE_NOTE}, separators=(",", ":"))
    out = [
        {"path": "/fapi/v1/exchangeInfo", "file": "binance/exchangeInfo.json"},
        {"path": "/fapi/v1/klines",
         "query": {"symbol": "BTCUSDT", "interval": "1h", "startTime": str(RANGE_START_MS),
                   "endTime": str(RANGE_END_MS - 1)},
         "file": "binance/klines-BTCUSDT-1h-2024-01.json"},
        {"path": "/fapi/v1/klines", "status": 400, "body": binance_error},
        {"method": "POST", "path": "/info", "body_match": {"type": "meta"}, "file": "hyperliquid/meta.json"},
        {"method": "POST", "path": "/info", "body_match": {"type": "spotMeta"}, "file": "hyperliquid/spotMeta.json"},
        {"method": "POST", "path": "/info",
         "body_match": {"type": "candleSnapshot", "req.coin": "BTC", "req.interval": "1h"},
         "file": "hyperliquid/candleSnapshot-BTC-1h-2024-01.json"},
        {"method": "POST", "path": "/info", "status": 422, "content_type": "text/plain", "body": OFFLINE_NOTE},
        {"path": "/api/v3/brokerage/market/products", "query": {"product_type": "SPOT"},
         "file": "coinbase/products-spot.json"},
        {"path": "/api/v3/brokerage/market/products", "query": {"product_type": "FUTURE"},
         "file": "coinbase/products-future.json"},
        {"path": "/api/v3/brokerage/market/products",
         "query": {"product_type": "FUTURE", "contract_expiry_type": "PERPETUAL"},
         "file": "coinbase/products-perpetual.json"},
    ]
    for number, page in enumerate(pages, start=1):
        out.append({"path": "/api/v3/brokerage/market/products/BTC-USD/candles",
                    "query": {"granularity": "ONE_HOUR", "start": str(page["start"]), "end": str(page["end"])},
                    "file": "coinbase/candles-BTC-USD-1h-2024-01-page%d.json" % number})
    out.append({"path": "/api/v3/brokerage/market/products/BTC-USD/candles", "status": 400, "body": coinbase_error})
    return {"routes": out}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()

    hours = btc_hours()
    pages = coinbase_pages()
    files = {
        "binance/exchangeInfo.json": dump(binance_exchange_info()),
        "binance/klines-BTCUSDT-1h-2024-01.json": dump(binance_klines(hours)),
        "hyperliquid/meta.json": dump(hyperliquid_meta()),
        "hyperliquid/spotMeta.json": dump(hyperliquid_spot_meta()),
        "hyperliquid/candleSnapshot-BTC-1h-2024-01.json": dump(hyperliquid_candles(hours)),
        "coinbase/products-spot.json": dump(coinbase_products_spot()),
        "coinbase/products-future.json": dump(coinbase_products_future()),
        "coinbase/products-perpetual.json": dump(coinbase_products_perpetual()),
        "routes.json": json.dumps(routes(pages), indent=2) + "\n",
    }
    for number, page in enumerate(pages, start=1):
        window = hours[page["first"]:page["first"] + page["count"]]
        files["coinbase/candles-BTC-USD-1h-2024-01-page%d.json" % number] = dump({"candles": coinbase_candles(window)})

    for name, content in sorted(files.items()):
        path = os.path.join(args.out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(content)
    print("wrote %d files to %s" % (len(files), args.out))


if __name__ == "__main__":
    main()
