/*
 * The AWS SDK's request handler, by the fields the helper uses (declared here, in the base, for the library's
 * option and the HTTP layer that sends through it, without either loading the SDK's types).
 */

/**
 * The request an AWS SDK request handler takes (@smithy/protocol-http's HttpRequest, by its fields): the
 * query decoded, which the handler encodes again.
 */
export interface SdkHandlerRequest {
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly query: Record<string, string | string[] | null>;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string | undefined;
}

/**
 * An AWS SDK request handler (`new NodeHttpHandler({ httpsAgent })` of @smithy/node-http-handler, as an SDK
 * client's `requestHandler` takes): what CreateSession and STS go through in place of the helper's own client.
 */
export interface SdkRequestHandler {
  handle(
    request: SdkHandlerRequest,
    options?: { abortSignal?: { readonly aborted: boolean }; requestTimeout?: number },
  ): Promise<{ response: { statusCode: number; headers: Record<string, string | string[] | undefined>; body?: unknown } }>;
}
