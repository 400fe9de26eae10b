import forge from 'node-forge';

/**
 * One PKCS#12 file holding the contents of `files` one after the other (their AuthenticatedSafes' ContentInfos),
 * e.g. two identities' keys, which openssl pkcs12 cannot write: each file made without a MAC (-nomac), and so
 * the result, encrypted as they were.
 */
export function joinedPkcs12(...files: Buffer[]): Buffer {
  const pfxs = files.map((file) => forge.asn1.fromDer(forge.util.createBuffer(file.toString('binary'))));
  // PFX: SEQUENCE { version, authSafe ContentInfo { data, [0] { OCTET STRING (AuthenticatedSafe) } }, [macData] }
  const authSafeOf = (pfx: forge.asn1.Asn1) => ((pfx.value[1] as forge.asn1.Asn1).value[1] as forge.asn1.Asn1).value[0] as forge.asn1.Asn1;
  for (const pfx of pfxs) if ((pfx.value as forge.asn1.Asn1[]).length !== 2) throw new Error('joinedPkcs12 takes files without a MAC (-nomac)');
  const contentInfos = pfxs.flatMap((pfx) => forge.asn1.fromDer(authSafeOf(pfx).value as string).value as forge.asn1.Asn1[]);
  const joined = pfxs[0]!;
  authSafeOf(joined).value = forge.asn1.toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SEQUENCE, true, contentInfos)).getBytes();
  return Buffer.from(forge.asn1.toDer(joined).getBytes(), 'binary');
}
