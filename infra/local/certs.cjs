'use strict';
// Certificates for the TLS listeners: a throwaway CA signs the broker and client certs; a second CA
// is deliberately unrelated, for "wrong CA" tests. openssl makes the keys and certificates, keytool
// the Java truststore.

const fs = require('node:fs');
const path = require('node:path');
const { mkdirp, run } = require('./util.cjs');

const STORE_PASSWORD = 'kafka-suite-store';
const CLIENT_KEY_PASSPHRASE = 'client-key-secret';
const KEYTOOL = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'keytool') : 'keytool';

/** Where makeCerts(dir) writes each file. */
function certFiles(dir) {
  return {
    ca: path.join(dir, 'ca.pem'),
    caKey: path.join(dir, 'ca.key'),
    wrongCa: path.join(dir, 'wrong-ca.pem'),
    wrongCaKey: path.join(dir, 'wrong-ca.key'),
    brokerKey: path.join(dir, 'broker.key'),
    brokerCert: path.join(dir, 'broker.pem'),
    keystore: path.join(dir, 'broker.keystore.p12'),
    truststore: path.join(dir, 'broker.truststore.p12'),
    clientCert: path.join(dir, 'client.pem'),
    clientKey: path.join(dir, 'client.key'),
  };
}

/** Fresh CA, unrelated CA, broker keystore/truststore (PKCS12) and an encrypted client key in dir. */
function makeCerts(dir) {
  const files = certFiles(dir);
  const openssl = (args) => run('openssl', args, { cwd: dir });
  const makeCa = (keyFile, certFile, cn) =>
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const signCert = (name, keyFile, subject, extLines) => {
    const csr = path.join(dir, `${name}.csr`);
    const ext = path.join(dir, `${name}.ext`);
    fs.writeFileSync(ext, extLines.join('\n') + '\n');
    openssl(['req', '-new', '-key', keyFile, '-passin', `pass:${CLIENT_KEY_PASSPHRASE}`, '-out', csr, '-subj', subject]);
    openssl(['x509', '-req', '-in', csr, '-CA', files.ca, '-CAkey', files.caKey, '-CAcreateserial', '-out', path.join(dir, `${name}.pem`), '-days', '30', '-sha256', '-extfile', ext]);
    fs.rmSync(csr);
    fs.rmSync(ext);
  };

  fs.rmSync(dir, { recursive: true, force: true });
  mkdirp(dir);
  makeCa(files.caKey, files.ca, 'kafka-suite test CA');
  makeCa(files.wrongCaKey, files.wrongCa, 'kafka-suite unrelated CA');

  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', files.brokerKey]);
  signCert('broker', files.brokerKey, '/CN=localhost', [
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    'extendedKeyUsage=serverAuth,clientAuth',
    'keyUsage=critical,digitalSignature,keyEncipherment',
  ]);
  openssl(['pkcs12', '-export', '-in', files.brokerCert, '-inkey', files.brokerKey, '-certfile', files.ca, '-name', 'broker', '-out', files.keystore, '-passout', `pass:${STORE_PASSWORD}`]);
  // Java only trusts PKCS12 certificate entries carrying its own "trusted" attribute, which
  // OpenSSL 3.0 (Debian 12) cannot write (-jdktrust came in 3.2); keytool writes it.
  run(KEYTOOL, ['-importcert', '-noprompt', '-alias', 'ca', '-file', files.ca, '-keystore', files.truststore, '-storetype', 'PKCS12', '-storepass', STORE_PASSWORD]);

  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-aes-256-cbc', '-pass', `pass:${CLIENT_KEY_PASSPHRASE}`, '-out', files.clientKey]);
  signCert('client', files.clientKey, '/CN=kafka-suite-client', ['extendedKeyUsage=clientAuth', 'keyUsage=critical,digitalSignature,keyEncipherment']);
  return files;
}

module.exports = { STORE_PASSWORD, CLIENT_KEY_PASSPHRASE, KEYTOOL, certFiles, makeCerts };
