// Independent JWT implementation for RELIABILITY.md J16: npm `jose` mints tokens for our
// verifier and verifies the tokens we issue. Run from <build>/npm, where `jose` is installed.
//   node jose-interop.mjs mint <secret> <claims-json> [alg] [typ]   HS256/HS512 (typ "" = none)
//   node jose-interop.mjs mint-none <claims-json>                   alg "none" (UnsecuredJWT)
//   node jose-interop.mjs mint-es256 <claims-json>                  a fresh P-256 key
//   node jose-interop.mjs mint-es256-key <pkcs8-pem-file> <claims-json>
//   node jose-interop.mjs verify <secret> <token> <issuer> <audience>
//   node jose-interop.mjs verify-es256 <spki-pem-file> <token> <issuer> <audience>
// Prints the token (mint) or the verified payload as JSON (verify); exit 1 with the
// library's error code when verification fails, 2 on misuse.
import { readFileSync } from 'node:fs';
import * as jose from 'jose';

const [command, ...args] = process.argv.slice(2);
const text = (s) => new TextEncoder().encode(s);

async function main() {
  switch (command) {
    case 'mint': {
      const [secret, claims, alg = 'HS256', typ = 'at+jwt'] = args;
      const header = typ === '' ? { alg } : { alg, typ };
      return new jose.SignJWT(JSON.parse(claims)).setProtectedHeader(header).sign(text(secret));
    }
    case 'mint-none':
      return new jose.UnsecuredJWT(JSON.parse(args[0])).encode();
    case 'mint-es256': {
      const { privateKey } = await jose.generateKeyPair('ES256');
      return new jose.SignJWT(JSON.parse(args[0])).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).sign(privateKey);
    }
    case 'mint-es256-key': {
      const privateKey = await jose.importPKCS8(readFileSync(args[0], 'utf8'), 'ES256');
      return new jose.SignJWT(JSON.parse(args[1])).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).sign(privateKey);
    }
    case 'verify':
    case 'verify-es256': {
      const [keyArgument, token, issuer, audience] = args;
      const es256 = command === 'verify-es256';
      try {
        const key = es256 ? await jose.importSPKI(readFileSync(keyArgument, 'utf8'), 'ES256') : text(keyArgument);
        const { payload, protectedHeader } = await jose.jwtVerify(token, key, {
          issuer, audience, algorithms: [es256 ? 'ES256' : 'HS256'], typ: 'at+jwt',
          requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        });
        return JSON.stringify({ header: protectedHeader, payload });
      } catch (error) {
        console.log(error.code || 'ERR_UNKNOWN');
        process.exit(1);
      }
    }
    default:
      console.error('unknown command');
      process.exit(2);
  }
}

console.log(await main());
