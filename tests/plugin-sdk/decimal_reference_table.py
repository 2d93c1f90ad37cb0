#!/usr/bin/env python3
"""Writes the reference table of plugin_sdk_decimal_differential_test (build time, not committed).

Each line: <input as lowercase hex> <expected>, where <expected> is the canonical decimal text or
"reject". Acceptance comes from the SDK's documented grammar (plugin-sdk/include/mdp/decimal.hpp,
CONTRACT.md item 15), written here as a regular expression:
    -?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?, at most 128 bytes, exponent value |e| <= 40,
    and the canonical text at most 128 characters;
the canonical text comes from Python's decimal.Decimal value of the accepted input
(fixed-point, no exponent, no trailing fractional zeros, zero as "0" whatever its sign).
Python's own Decimal() syntax is wider ("+1", ".5", "1.", "1_0", " 1", "Infinity", non-ASCII
digits), so it never decides acceptance. Standard library only; fixed seed.
Usage: decimal_reference_table.py <output> [count] [seed]
"""
import decimal
import random
import re
import sys

MAX_INPUT = 128
MAX_EXPONENT = 40
GRAMMAR = re.compile(rb"(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?)([0-9]+))?")


def expected(text: bytes) -> str:
    if not text or len(text) > MAX_INPUT:
        return "reject"
    m = GRAMMAR.fullmatch(text)
    if m is None:
        return "reject"
    if m.group(5) is not None and int(m.group(5)) > MAX_EXPONENT:
        return "reject"
    with decimal.localcontext() as ctx:
        ctx.prec = 1000
        ctx.Emax = 10000
        ctx.Emin = -10000
        value = decimal.Decimal(text.decode("ascii"))
        if value.is_zero():
            return "0"
        canonical = format(value.normalize(), "f")
    if len(canonical) > MAX_INPUT:
        return "reject"
    return canonical


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def length(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.55:
        return rng.randint(1, 8)
    if r < 0.85:
        return rng.randint(1, 20)
    return rng.randint(40, 70)  # 40+ digits, also past the 128-byte cap together


def structured(rng: random.Random) -> str:
    sign = rng.choices(["", "-", "+"], weights=[70, 25, 5])[0]
    zeros = "0" * rng.choices([0, 1, 2, 5], weights=[70, 15, 10, 5])[0]
    integer = zeros + (digits(rng, length(rng)) if rng.random() < 0.95 else "")
    text = sign + integer
    if rng.random() < 0.6:
        fraction = digits(rng, length(rng)) if rng.random() < 0.95 else ""
        if rng.random() < 0.3:
            fraction += "0" * rng.randint(1, 12)
        text += "." + fraction
    if rng.random() < 0.35:
        exp_sign = rng.choice(["", "+", "-"])
        exp_zeros = "0" * rng.choices([0, 1, 3], weights=[80, 15, 5])[0]
        magnitude = rng.choices(
            [rng.randint(0, 9), rng.randint(10, 40), rng.randint(38, 45), rng.randint(41, 99999)],
            weights=[40, 35, 15, 10])[0]
        exp_digits = str(magnitude) if rng.random() < 0.97 else ""
        text += rng.choice("eE") + exp_sign + exp_zeros + exp_digits
    return text


JUNK = "0123456789.-+eE xX_,;'\"\t\n\x00\x7f" + "\u0663\u00b9\uff11"  # incl. non-ASCII digits


def mutated(rng: random.Random) -> str:
    chars = list(structured(rng))
    for _ in range(rng.randint(1, 3)):
        op = rng.randint(0, 2)
        pos = rng.randint(0, len(chars))
        if op == 0:
            chars.insert(pos, rng.choice(JUNK))
        elif chars and pos < len(chars):
            if op == 1:
                del chars[pos]
            else:
                chars[pos] = rng.choice(JUNK)
    return "".join(chars)


SPECIAL = ["", "-", "+", ".", "-.", "0", "-0", "00", "-00.000", "0.0", ".5", "5.", "1e", "1e+", "1e-",
           "1E40", "1e41", "1e-40", "1e-41", "9e40", "-0e5", "0e99999", "NaN", "nan", "Infinity", "-inf",
           "1_000", " 1", "1 ", "0x1", "1.5E-7", "1e-05", "1" * 128, "1" * 129, "0." + "0" * 126 + "1",
           "1e0040", "1e00041", "123456789012345678901234567890123456789012345.67890e-40"]


def main() -> None:
    out_path = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261125
    rng = random.Random(seed)
    inputs = list(SPECIAL)
    while len(inputs) < count:
        r = rng.random()
        if r < 0.75:
            inputs.append(structured(rng))
        elif r < 0.97:
            inputs.append(mutated(rng))
        else:
            inputs.append("".join(rng.choice(JUNK) for _ in range(rng.randint(0, 12))))
    with open(out_path, "w", encoding="ascii", newline="\n") as out:
        for text in inputs[:count]:
            raw = text.encode("utf-8")
            out.write(f"{raw.hex()} {expected(raw)}\n")


if __name__ == "__main__":
    main()
