/** The metadata every rendered object carries. */
export interface ManifestMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** One Kubernetes object as rendered: a built-in kind or an operator's custom resource. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: ManifestMetadata;
  [field: string]: unknown;
}

/** `kind/name`, the identity of an object inside one namespace. */
export function objectKey(object: Pick<Manifest, 'kind' | 'metadata'>): string {
  return `${object.kind}/${object.metadata.name}`;
}
