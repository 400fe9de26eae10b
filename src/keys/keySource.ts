import type { Context } from '../context.js';
import type { Certificate, PublicKeyInfo } from './certificate.js';
import type { Input } from './input.js';

/** The hash a signature is made over (`sign-string --digest`); CreateSession always uses SHA256. */
export type Digest = 'SHA256' | 'SHA384' | 'SHA512';

/** A certificate with the key that can sign for it, as a key source holds them right now. */
export interface SigningIdentity {
  /** undefined only for key-only sources (a PKCS#11, ssh-agent or TPM key without a certificate). */
  readonly certificate: Certificate | undefined;
  /** Certificates to send in X-Amz-X509-Chain, nearest issuer first; empty for none. */
  readonly chain: readonly Certificate[];
  /**
   * How many certificates follow the first in the certificate's own file, not sent (the reference sends none
   * of them): a refusal for want of a chain says to give that file as --intermediates too. Counted only then,
   * not on every run.
   */
  readonly unsentCertificates?: () => number;
  readonly publicKey: PublicKeyInfo;
  /**
   * Signs `data`: RSA PKCS#1 v1.5 or ECDSA (DER) over its `digest` hash, or pure ML-DSA over the data
   * itself (digest ignored).
   */
  sign(data: Buffer, digest: Digest): Promise<Buffer>;
}

/** Where the certificate and key come from: files, a PKCS#11 token, an ssh-agent or a TPM. */
export interface KeySource {
  /** What the key is, for messages: a path, a URI or a handle. */
  readonly description: string;
  /** The certificate, chain and key as they are now: files are re-read when they change. */
  current(): Promise<SigningIdentity>;
  /** Releases whatever the source holds open (sessions, handles). */
  close(): Promise<void>;
}

/** Where the certificate and key are, as the command-line flags (or the library's options) say. */
export interface KeySourceOptions {
  /** A certificate (PEM or DER, or a combined key+certificate PEM, or PKCS#12), or a pkcs11: URI. */
  readonly certificate?: Input | undefined;
  /**
   * A key (PEM or DER), a pkcs11: URI, `ssh-agent` or `ssh-agent:SHA256:<fingerprint>` for a key held by the
   * agent at SSH_AUTH_SOCK, a TSS2 key, or `handle:0x81...` for a persistent TPM key.
   */
  readonly privateKey?: Input | undefined;
  readonly intermediates?: Input | undefined;
  /** Selects a certificate from an OS store (macOS Keychain, Windows), which this helper cannot use. */
  readonly certSelector?: string | undefined;
  readonly pkcs8Password?: string | undefined;
  /** The file pkcs8Password was read from (--pkcs8-password-file), read again with a key renewed on disk, which may take another. */
  readonly pkcs8PasswordFile?: string | undefined;
  readonly pkcs12Password?: string | undefined;
  /** The file pkcs12Password was read from (--pkcs12-password-file), read again with a file renewed on disk. */
  readonly pkcs12PasswordFile?: string | undefined;
  readonly pkcs11Lib?: string | undefined;
  readonly reusePin?: boolean | undefined;
  readonly tpmKeyPassword?: string | undefined;
  /** The file tpmKeyPassword was read from (--tpm-key-password-file), read again once the TPM refused it. */
  readonly tpmKeyPasswordFile?: string | undefined;
  readonly noTpmKeyPassword?: boolean | undefined;
  /** May a missing password or PIN be asked for on the terminal? */
  readonly interactive?: boolean | undefined;
  /** The command signs without a certificate (sign-string), so a key that needs none to be found may have none. */
  readonly certificateOptional?: boolean | undefined;
}

/** The options that give a key's or file's password, each for one kind of key source. */
export type PasswordOption = 'pkcs8Password' | 'pkcs12Password' | 'tpmKeyPassword' | 'noTpmKeyPassword';

/**
 * One kind of key source, as the registry (keySourceKinds.ts) lists them. A kind's declaration is small and
 * loaded with the registry; its implementation is loaded by `open`, only when it is picked.
 */
export interface KeySourceKind {
  /** The debug line when this kind is picked (naming the reference's signers). */
  readonly chosen: string;
  /** What it reads, for messages: `a TPM key`. */
  readonly what: string;
  /** The password options it takes; another one given is refused (resolveKeySource). */
  readonly passwords: readonly PasswordOption[];
  /** Whether this kind reads the key the options name; `keyFile` reads the key (or combined) file once. */
  claims(options: KeySourceOptions, keyFile: () => Buffer): boolean;
  open(options: KeySourceOptions, context: Context, keyFile: () => Buffer): Promise<KeySource>;
  /** For a kind that names certificates otherwise than by a file (a pkcs11: URI): reads them without the key. */
  readonly certificates?: NamedCertificates;
}

/** A certificate read on its own, and the chain that would go with it. */
export interface CertificateAndChain {
  readonly certificate: Certificate;
  readonly chain: readonly Certificate[];
}

/** The certificates a kind names otherwise than by a file, read without its key (and so without logging in). */
export interface NamedCertificates {
  /** Whether the certificate option is such a name. */
  names(certificate: Input): certificate is string;
  /** The one certificate `certificate` names, with the chain its key source would send; undefined when it names none or several. */
  read(certificate: string, options: KeySourceOptions, context: Context): Promise<CertificateAndChain | undefined>;
  /** What `read-certificate-data` prints for it: every certificate it names. */
  list(certificate: string, options: KeySourceOptions, context: Context): Promise<string>;
}

/**
 * How a kind of key source names its keys (and perhaps certificates) otherwise than by a file: a TPM
 * `handle:`, a pkcs11: URI, `ssh-agent`. Told from the options alone, without a file, a device or the kind's
 * code, for the credential cache (keyNamings.ts lists them), whose hits load no key source. The kind claims
 * such names with the same test (`namesKey`), from the same module of its folder.
 */
export interface KeyNaming {
  /** Whether the private-key option names a key of this kind rather than a file. */
  namesKey(privateKey: Input | undefined): privateKey is string;
  /** Throws (a HelperError) why such a name does not parse, as opening the key would. */
  checkKeyName(privateKey: string): void;
  /**
   * For a name that chooses a key beyond the certificate's (an agent key by its fingerprint): the name as
   * a cache key holds it, so that an entry another key stored does not answer for it. Else undefined.
   */
  keyIdentity?(privateKey: string): string | undefined;
  /** For a kind that names certificates otherwise than by a file too. */
  readonly certificateNaming?: {
    /** Whether the certificate option is such a name. */
    names(certificate: Input | undefined): certificate is string;
    /**
     * The certificate as a cache key holds it: its name in a normal form without secrets, and whatever else
     * decides which certificate it is (the PKCS#11 module).
     */
    identity(certificate: string, options: KeySourceOptions): object;
    /** The name as a report shows it, in a normal form without secrets. */
    shown(certificate: string): string;
  };
}

export const nodeDigestName: Readonly<Record<Digest, string>> = {
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512',
};
