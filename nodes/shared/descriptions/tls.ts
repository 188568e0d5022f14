import type { INodeProperties } from 'n8n-workflow';

/** What the TLS block says for one peer (brokers, a Connect worker, a schema registry). */
export interface TlsFieldsOptions {
  /** Where the fields are shown; always when absent. */
  displayOptions?: INodeProperties['displayOptions'];
  caDescription: string;
  /** Adds the mutual-TLS fields (certificate, key and, unless passphrase is false, its passphrase). */
  clientCertificate?: { certDescription?: string; keyDescription?: string; passphrase?: false | { description?: string } };
  ignoreErrorsDescription: string;
}

/**
 * The TLS fields of the three credentials (tlsCa, tlsCert, tlsKey, tlsKeyPassphrase,
 * ignoreCertificateErrors), which nodes/shared reads by these names whatever the peer.
 */
export function tlsFields(options: TlsFieldsOptions): INodeProperties[] {
  const field = (property: INodeProperties, description?: string): INodeProperties => ({
    ...property,
    ...(description !== undefined ? { description } : {}),
    ...(options.displayOptions ? { displayOptions: options.displayOptions } : {}),
  });
  const mutual = options.clientCertificate;
  return [
    field({ displayName: 'CA Certificate (PEM)', name: 'tlsCa', type: 'string', typeOptions: { rows: 4 }, default: '' }, options.caDescription),
    ...(mutual
      ? [
          field({ displayName: 'Client Certificate (PEM)', name: 'tlsCert', type: 'string', typeOptions: { password: true, rows: 4 }, default: '' }, mutual.certDescription),
          field({ displayName: 'Client Key (PEM)', name: 'tlsKey', type: 'string', typeOptions: { password: true, rows: 4 }, default: '' }, mutual.keyDescription),
          ...(mutual.passphrase === false
            ? []
            : [field({ displayName: 'Client Key Passphrase', name: 'tlsKeyPassphrase', type: 'string', typeOptions: { password: true }, default: '' }, mutual.passphrase?.description)]),
        ]
      : []),
    field({ displayName: 'Ignore Certificate Errors', name: 'ignoreCertificateErrors', type: 'boolean', default: false }, options.ignoreErrorsDescription),
  ];
}
