/**
 * Bedrock Runtime errors as they travel: HTTP status, `x-amzn-errortype` header and a JSON body
 * `{message}`; inside an event stream, `:message-type: exception` frames named by union member.
 */

/** Error types the fake can answer with, and their HTTP status on the real service. */
export const WIRE_ERRORS = {
  ValidationException: { status: 400, message: 'The provided request is not valid.' },
  SerializationException: { status: 400, message: 'Malformed request body.' },
  AccessDeniedException: { status: 403, message: "You don't have access to the model with the specified model ID." },
  UnrecognizedClientException: { status: 403, message: 'The security token included in the request is invalid.' },
  InvalidSignatureException: { status: 403, message: 'The request signature we calculated does not match the signature you provided.' },
  IncompleteSignatureException: { status: 403, message: 'Authorization header requires Credential, Signature and SignedHeaders.' },
  MissingAuthenticationTokenException: { status: 403, message: 'Missing Authentication Token' },
  ExpiredTokenException: { status: 403, message: 'The security token included in the request is expired' },
  ResourceNotFoundException: { status: 404, message: 'The specified model was not found. Check the model ID and try again.' },
  UnknownOperationException: { status: 404, message: 'Unknown operation.' },
  ModelTimeoutException: {
    status: 408,
    message: 'The request took too long to process. Processing time exceeded the model timeout length.',
  },
  ModelErrorException: { status: 424, message: 'The model returned an error while processing the request.' },
  ThrottlingException: { status: 429, message: 'Too many requests, please wait before trying again.' },
  ModelNotReadyException: {
    status: 429,
    message: 'Model is not ready to serve inference requests. The AWS SDK will automatically retry the operation up to 5 times.',
  },
  InternalServerException: { status: 500, message: 'The server encountered an internal error while processing the request.' },
  ServiceUnavailableException: { status: 503, message: 'Bedrock is unable to process your request.' },
} as const;

/** Names of the error types in WIRE_ERRORS. */
export type WireErrorType = keyof typeof WIRE_ERRORS;

/** A decided error reply: the fake turns it into status, header and body. */
export interface WireError {
  type: WireErrorType;
  message?: string;
}

/** Headers and body of an error reply; `x-amzn-errortype` carries the Coral namespace suffix. */
export function wireErrorReply(error: WireError, requestId: string): { status: number; headers: Record<string, string>; body: string } {
  const spec = WIRE_ERRORS[error.type];
  return {
    status: spec.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': `${error.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify({ message: error.message ?? spec.message }),
  };
}

/** Exceptions a ConverseStream can raise after the 200, named as members of ConverseStreamOutput. */
export type StreamExceptionType =
  'internalServerException' | 'modelStreamErrorException' | 'validationException' | 'throttlingException' | 'serviceUnavailableException';

/** Default messages of the mid-stream exceptions. */
export const STREAM_EXCEPTION_MESSAGES: Record<StreamExceptionType, string> = {
  internalServerException: 'The server encountered an internal error while processing the request.',
  modelStreamErrorException: 'The model stream was interrupted: the model returned an error mid-stream.',
  validationException: 'The provided request is not valid.',
  throttlingException: 'Too many tokens, please wait before trying again.',
  serviceUnavailableException: 'Bedrock is unable to process your request.',
};
