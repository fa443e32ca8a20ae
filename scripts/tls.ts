// Throwaway certificates for the TLS tests, made by the machine's openssl: a self-signed CA and
// certificates it signs (EC P-256 keys: fast to make). Everything lives in the caller's folder.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export function openssl(dir: string, ...args: string[]): Promise<unknown> {
  return run("openssl", args, { cwd: dir, timeout: 30_000 });
}

/** `<dir>/<name>.crt` and `.key`: a self-signed CA. */
export async function newCa(dir: string, name: string): Promise<void> {
  await openssl(
    dir,
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
    ...["-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "1", "-subj", `/CN=${name}`],
  );
}

/** `<dir>/<name>.crt` and `.key`, signed by the CA `ca`, with the given X.509 extensions. */
export async function newCert(dir: string, name: string, ca: string, extensions: string): Promise<void> {
  await writeFile(join(dir, `${name}.ext`), `${extensions}\n`);
  await openssl(
    dir,
    ...["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
    ...["-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`],
  );
  await openssl(
    dir,
    ...["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial"],
    ...["-out", `${name}.crt`, "-days", "1", "-extfile", `${name}.ext`],
  );
}

/** Extensions of a server certificate for 127.0.0.1, and of a client certificate. */
export const SERVER_EXTENSIONS = "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth";
export const CLIENT_EXTENSIONS = "extendedKeyUsage=clientAuth";
