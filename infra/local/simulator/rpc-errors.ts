/**
 * The error objects of the provider's two JSON-RPC APIs as their documentation lists them (code,
 * message, mnemonic), for the errors both simulators produce: the Call API's method pages and the
 * Data API's overview give the same code and text for the mnemonics they share. Mnemonics keep
 * the provider's spelling.
 */
const CATALOGUE = {
  parse_error: [-32700, 'Invalid JSON was received by the server.'],
  invalid_request: [-32600, 'Invalid Request The JSON sent is not a valid Request object'],
  method_not_found: [-32601, 'The method does not exist / is not available'],
  required_parameter_missed: [-32602, 'The required parameter has been missed'],
  data_type_error: [-32602, 'Data supplied is of wrong type'],
  invalid_parameter_value: [-32602, 'Invalid parameter value'],
  unexpected_parameters: [-32602, 'Unexpected method parameter(s)'],
  access_token_expired: [-32001, 'Access token has been expired'],
  access_token_blocked: [-32001, 'Access token has been blocked'],
  access_token_invalid: [-32001, 'Access token is invalid'],
  auth_error: [-32001, 'Login or password is wrong'],
  ip_not_whitelisted: [-32003, 'Your IP {ip} is not whitelisted'],
  component_disabled: [-32008, 'Component {component_name} has been disabled'],
  limit_exceeded: [
    -32029,
    'Limit per {limit_type} has been exceeded. Value of current limit per {limit_type} is {limit_max_value}',
  ],
  batch_opreations_not_supported: [-32099, 'Batch operations not supported'],
  notifications_not_supported: [-32099, 'Notifications not supported'],
  tts_text_exceeded: [
    -32602,
    'The maximum length of Text-to-Speech message is {tts_message_max_length}. The length of your message is {sent_tts_message_length}',
  ],
  virtual_phone_number_not_found: [
    -32007,
    'Virtual phone number {virtual_phone_number} not found. It is not your virtual phone number.',
  ],
  own_virtual_phone_number_not_allowed: [
    -32602,
    'Parameter `contact` can not contain own virtual phone number',
  ],
  // start.simple_call and start.employee_call document -32002; the other starters -32602.
  contact_in_blacklist: [-32002, 'The contact {contact} has been found in the blacklist'],
  internal_error: [-32603, 'Internal error, contact the support service'],
  forbidden: [-32003, 'Permission denied'],
  account_inactive: [-32009, 'Your account has been disabled, contact the support service'],
  call_session_not_found: [-32602, 'Call session not found'],
  media_file_not_found: [-32602, 'The media file with id {media_file_id} not found'],
  // start.scenario_call documents -32602; start.vnumber_call documents -32007.
  scenario_not_found: [-32602, 'Scenario with id {scenario_id} not found'],
  employee_not_found: [
    -32602,
    'Employee with id {employee_id} not found. It is not your employee.',
  ],
  tag_not_found: [-32602, 'Tag with {tag_id} not found'],
  duplicate_tag: [-32602, 'Duplicate tag'],
  no_active_phone_number: [-32602, 'The phone number does not exist or inactive'],
  // The Data API's own, from its overview.
  filter_prohibited: [-32602, 'Filter by parameter is prohibited'],
  date_interval_limit_reached: [-32602, 'Max value of requested date interval is 3 months'],
  method_component_disabled: [
    -32008,
    'You need at least on of the following components to access this method: {components}',
  ],
} as const satisfies Record<string, readonly [number, string]>;

export type Mnemonic = keyof typeof CATALOGUE;

export interface RpcErrorObject {
  code: number;
  message: string;
  data: {
    mnemonic: Mnemonic;
    field: string | null;
    value: unknown;
    params: Record<string, unknown> | null;
    extended_helper: null;
  };
}

/**
 * The refusals whose reply carries no `metadata.limits`, as each API's documentation lists them:
 * those that come before the request is counted.
 */
const WITHOUT_LIMITS = {
  callApi: [
    'parse_error',
    'invalid_request',
    'method_not_found',
    'access_token_blocked',
    'access_token_invalid',
    'access_token_expired',
    'auth_error',
    'ip_not_whitelisted',
    'batch_opreations_not_supported',
    'notifications_not_supported',
  ],
  dataApi: [
    'parse_error',
    'invalid_request',
    'batch_opreations_not_supported',
    'notifications_not_supported',
    'access_token_invalid',
    'access_token_expired',
    'access_token_blocked',
  ],
} as const satisfies Record<string, readonly Mnemonic[]>;

/** An error a simulated API answers with: its wire object, from the catalogue. */
export class RpcFailure extends Error {
  readonly error: RpcErrorObject;

  constructor(
    readonly mnemonic: Mnemonic,
    details: {
      field?: string;
      value?: unknown;
      params?: Record<string, unknown>;
      /** Where a method documents another code or text for a shared mnemonic. */
      code?: number;
      message?: string;
    } = {},
  ) {
    const [code, template] = CATALOGUE[mnemonic];
    super(mnemonic);
    const params = details.params ?? null;
    const message = (details.message ?? template).replace(
      /\{(\w+)\}/g,
      (whole: string, name: string) =>
        params !== null && name in params ? String(params[name]) : whole,
    );
    this.error = {
      code: details.code ?? code,
      message,
      data: {
        mnemonic,
        field: details.field ?? null,
        value: details.value ?? null,
        params,
        extended_helper: null,
      },
    };
  }

  /** Whether the reply still carries `metadata.limits` in the API's documentation. */
  withLimits(api: keyof typeof WITHOUT_LIMITS): boolean {
    return !(WITHOUT_LIMITS[api] as readonly Mnemonic[]).includes(this.mnemonic);
  }
}
