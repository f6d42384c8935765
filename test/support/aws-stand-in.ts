import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A local stand-in for the few AWS API actions `npm run doctor` uses, in each service's own wire
 * protocol, so the real SDK clients (pointed here by `endpoint` or `AWS_ENDPOINT_URL`) build,
 * sign and parse them as they would against AWS:
 * - CloudFormation `DescribeStacks`, `ListStackResources`: the query protocol (a form-encoded
 *   POST, an XML answer);
 * - Secrets Manager `DescribeSecret`, `GetSecretValue`: JSON 1.1 (`X-Amz-Target`);
 * - Lambda `Invoke`: REST-JSON (`POST /2015-03-31/functions/{name}/invocations`);
 * and `GET /health`, standing for the deployed API.
 */

export interface StandInStack {
  status: string;
  outputs: Record<string, string>;
  /** Secrets the stack created, by ARN. */
  secretArns?: string[];
}

export interface StandInSecret {
  /** Defaults to an ARN made from the name. */
  arn?: string;
  /** Versions with a staging label: 1 for a value nobody has replaced. */
  versions: number;
  value?: string;
  scheduledForDeletion?: boolean;
}

export interface StandInFunction {
  payload: unknown;
  /** Set for an invocation that ended in an error (`X-Amz-Function-Error`). */
  functionError?: 'Unhandled';
}

export interface StandInState {
  stacks: Record<string, StandInStack>;
  secrets: Record<string, StandInSecret>;
  functions: Record<string, StandInFunction>;
  healthStatus?: number;
}

export interface StandInRequest {
  /** `cloudformation:DescribeStacks`, `secretsmanager:GetSecretValue`, `lambda:Invoke`, `GET /health`. */
  action: string;
  /** Whether it carried a SigV4 `Authorization` header. */
  signed: boolean;
}

export interface RunningStandIn {
  url: string;
  state: StandInState;
  requests: StandInRequest[];
  close(): Promise<void>;
}

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
/** ListStackResources answers in pages this long, so a client must follow `NextToken`. */
const PAGE = 2;

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const arnOf = (name: string, secret: StandInSecret) =>
  secret.arn ?? `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`;

export const startAwsStandIn = async (state: StandInState): Promise<RunningStandIn> => {
  const requests: StandInRequest[] = [];

  const xml = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  };
  const json = (res: http.ServerResponse, status: number, body: unknown, type: string) => {
    res.writeHead(status, { 'content-type': type });
    res.end(JSON.stringify(body));
  };

  const cloudFormation = (
    res: http.ServerResponse,
    request: StandInRequest,
    form: URLSearchParams,
  ) => {
    const action = form.get('Action') ?? '';
    const name = form.get('StackName') ?? '';
    request.action = `cloudformation:${action}`;
    const stack = state.stacks[name];
    if (stack === undefined) {
      return xml(
        res,
        400,
        `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${escapeXml(name)} does not exist</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
      );
    }
    if (action === 'DescribeStacks') {
      const outputs = Object.entries(stack.outputs)
        .map(
          ([key, value]) =>
            `<member><OutputKey>${escapeXml(key)}</OutputKey><OutputValue>${escapeXml(value)}</OutputValue></member>`,
        )
        .join('');
      return xml(
        res,
        200,
        `<DescribeStacksResponse xmlns="${XMLNS}"><DescribeStacksResult><Stacks><member><StackName>${escapeXml(name)}</StackName><StackId>arn:aws:cloudformation:us-east-1:000000000000:stack/${escapeXml(name)}/1</StackId><CreationTime>2026-11-30T10:00:00.000Z</CreationTime><StackStatus>${stack.status}</StackStatus><Outputs>${outputs}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></DescribeStacksResponse>`,
      );
    }
    if (action === 'ListStackResources') {
      // A table among the secrets, as in the real stack: the adapter must keep only the secrets.
      const all = [
        { type: 'AWS::DynamoDB::GlobalTable', id: 'callhook-calls' },
        ...(stack.secretArns ?? []).map((arn) => ({
          type: 'AWS::SecretsManager::Secret',
          id: arn,
        })),
      ];
      const start = Number(form.get('NextToken') ?? '0');
      const page = all.slice(start, start + PAGE);
      const next = start + PAGE < all.length ? `<NextToken>${start + PAGE}</NextToken>` : '';
      const members = page
        .map(
          (resource, i) =>
            `<member><LogicalResourceId>Resource${start + i}</LogicalResourceId><PhysicalResourceId>${escapeXml(resource.id)}</PhysicalResourceId><ResourceType>${resource.type}</ResourceType><LastUpdatedTimestamp>2026-11-30T10:00:00.000Z</LastUpdatedTimestamp><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>`,
        )
        .join('');
      return xml(
        res,
        200,
        `<ListStackResourcesResponse xmlns="${XMLNS}"><ListStackResourcesResult><StackResourceSummaries>${members}</StackResourceSummaries>${next}</ListStackResourcesResult><ResponseMetadata><RequestId>r-3</RequestId></ResponseMetadata></ListStackResourcesResponse>`,
      );
    }
    return xml(
      res,
      400,
      `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>not in the stand-in</Message></Error><RequestId>r-4</RequestId></ErrorResponse>`,
    );
  };

  const secretsManager = (
    res: http.ServerResponse,
    request: StandInRequest,
    target: string,
    body: string,
  ) => {
    const type = 'application/x-amz-json-1.1';
    const action = target.replace(/^secretsmanager\./, '');
    request.action = `secretsmanager:${action}`;
    const { SecretId: name } = JSON.parse(body) as { SecretId: string };
    const secret = state.secrets[name];
    const notFound = () =>
      json(
        res,
        400,
        {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        },
        type,
      );
    if (secret === undefined) return notFound();
    const arn = arnOf(name, secret);
    if (action === 'DescribeSecret') {
      const stages = Object.fromEntries(
        Array.from({ length: secret.versions }, (_, i) => [
          `v-${i}`,
          [i === secret.versions - 1 ? 'AWSCURRENT' : 'AWSPREVIOUS'],
        ]),
      );
      return json(
        res,
        200,
        {
          ARN: arn,
          Name: name,
          VersionIdsToStages: stages,
          ...(secret.scheduledForDeletion === true && { DeletedDate: 1_796_000_000 }),
        },
        type,
      );
    }
    if (action === 'GetSecretValue') {
      if (secret.scheduledForDeletion === true) {
        return json(
          res,
          400,
          {
            __type: 'InvalidRequestException',
            message: 'You tried to perform the operation on a secret that is marked for deletion.',
          },
          type,
        );
      }
      if (secret.value === undefined) return notFound();
      return json(
        res,
        200,
        {
          ARN: arn,
          Name: name,
          VersionId: `v-${secret.versions - 1}`,
          SecretString: secret.value,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1_795_000_000,
        },
        type,
      );
    }
    return json(res, 400, { __type: 'InvalidRequestException', message: 'not here' }, type);
  };

  const lambda = (res: http.ServerResponse, request: StandInRequest, name: string) => {
    request.action = 'lambda:Invoke';
    const fn = state.functions[name];
    if (fn === undefined) {
      res.writeHead(404, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'ResourceNotFoundException',
      });
      return res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-amz-executed-version': '$LATEST',
      ...(fn.functionError !== undefined && { 'x-amz-function-error': fn.functionError }),
    });
    res.end(JSON.stringify(fn.payload));
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const request: StandInRequest = {
      action: `${req.method} ${path}`,
      signed: /^AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization ?? ''),
    };
    requests.push(request);
    const invocation = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(path);
    const target = req.headers['x-amz-target'];
    if (req.method === 'GET' && path === '/health') {
      return json(res, state.healthStatus ?? 200, { status: 'ok' }, 'application/json');
    }
    if (req.method === 'POST' && invocation !== null) {
      return lambda(res, request, decodeURIComponent(invocation[1] ?? ''));
    }
    if (
      req.method === 'POST' &&
      typeof target === 'string' &&
      target.startsWith('secretsmanager.')
    ) {
      return secretsManager(res, request, target, body);
    }
    if (req.method === 'POST' && path === '/')
      return cloudFormation(res, request, new URLSearchParams(body));
    json(res, 404, { message: 'not in the stand-in' }, 'application/json');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};
