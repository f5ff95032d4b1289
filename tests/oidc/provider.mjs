// A real OpenID Connect provider for planboard's sign-in tests (panva's oidc-provider).
//
//   node tests/oidc/provider.mjs CONFIG.json
//
// CONFIG.json holds {"client": {...client metadata}, "accounts": {"login": {"password": ...,
// "claims": {...}}}, "jwks": {"keys": [private JWKs]}}. The server listens on a free port of
// 127.0.0.1 and prints "ready http://127.0.0.1:PORT" once it answers. Its login form asks for a
// username and a password; consent is given at once. Only loopback and the Django test
// client's host are accepted as redirect addresses.
//
// One hook for the tests: POST /_test/forge with JSON {"claims": {...}, "stranger": true}
// makes the next token response's ID token carry those claims instead (null removes one),
// signed again with the provider's own key or, with "stranger", with a key nobody published
// under the same key id. It applies once. POST /_test/claims with {"login": ..., "claims":
// {...}} changes an account's claims (someone's e-mail or groups changed at the provider).

import { readFileSync } from 'node:fs';
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const LOCAL = /^http:\/\/(127\.0\.0\.1|localhost|testserver)(:\d+)?\//;
let forge = null;
let provider;
let handle;

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>`
    + `<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    grant.addOIDCScope(params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  let problem = '';
  if (req.method === 'POST') {
    const form = new URLSearchParams(await readForm(req));
    const account = config.accounts[form.get('username')];
    if (account && account.password === form.get('password')) {
      await provider.interactionFinished(req, res, { login: { accountId: form.get('username') } }, { mergeWithLastSubmission: false });
      return;
    }
    problem = '<p role="alert">Wrong username or password.</p>';
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page('Test provider sign-in', `${problem}<form method="post" action="/interaction/${uid}">`
    + '<label for="username">Username</label> <input id="username" name="username"><br>'
    + '<label for="password">Password</label> <input id="password" name="password" type="password"><br>'
    + '<button type="submit">Continue</button></form>'));
}

async function reSign(idToken) {
  const { claims, stranger } = forge;
  forge = null;
  const header = jose.decodeProtectedHeader(idToken);
  const payload = { ...jose.decodeJwt(idToken) };
  for (const [name, value] of Object.entries(claims || {})) {
    if (value === null) delete payload[name];
    else payload[name] = value;
  }
  let key;
  if (stranger) {
    ({ privateKey: key } = await jose.generateKeyPair(header.alg, { extractable: true }));
  } else {
    const jwk = config.jwks.keys.find((k) => k.kid === header.kid);
    key = await jose.importJWK(jwk, header.alg);
  }
  return new jose.SignJWT(payload).setProtectedHeader(header).sign(key);
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.url === '/_test/forge' && req.method === 'POST') {
      forge = JSON.parse(await readForm(req));
      res.end('{}');
    } else if (req.url === '/_test/claims' && req.method === 'POST') {
      const { login, claims } = JSON.parse(await readForm(req));
      config.accounts[login].claims = claims;
      res.end('{}');
    } else if (req.url.startsWith('/interaction/')) {
      await interaction(req, res);
    } else {
      handle(req, res);
    }
  } catch (error) {
    res.statusCode = 500;
    res.end(escape(error.message));
  }
});

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const accounts = config.accounts;
  provider = new Provider(issuer, {
    clients: [config.client],
    jwks: config.jwks,
    pkce: { required: () => true },
    claims: {
      openid: ['sub', 'groups', 'roles', 'tid', 'oid'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page('Sign out of the test provider', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>`);
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['planboard tests only'] },
    async findAccount(ctx, id) {
      if (!accounts[id]) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...accounts[id].claims }) };
    },
    async extraTokenClaims() { return undefined; },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  });
  provider.Client.prototype.redirectUriAllowed = (uri) => LOCAL.test(uri);
  provider.Client.prototype.postLogoutRedirectUriAllowed = (uri) => LOCAL.test(uri);
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && forge && ctx.body && ctx.body.id_token) {
      ctx.body = { ...ctx.body, id_token: await reSign(ctx.body.id_token) };
    }
  });
  provider.on('server_error', (ctx, error) => console.error(error));
  handle = provider.callback();
  process.stdout.write(`ready ${issuer}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
