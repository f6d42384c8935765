import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A local stand-in for what of AWS `npm run doctor` reads that moto (`test/support/moto-server.ts`,
 * which answers its Secrets Manager and Lambda calls) cannot answer: CloudFormation's
 * `DescribeStacks` and `ListStackResources`, in the query protocol (a form-encoded POST, an XML
 * answer), so the real SDK client (pointed here by `endpoint` or `AWS_ENDPOINT_URL_CLOUDFORMATION`)
 * builds, signs and parses them as it would against AWS. moto's CloudFormation does not know
 * `AWS::SecretsManager::Secret` (it lists such a resource with no type and no physical id, and
 * drops an output naming it) and does not page `ListStackResources`: the doctor's
 * `createdSecrets` could not be checked on it. And `GET /health`, standing for the deployed API.
 */

export interface StandInStack {
  status: string;
  outputs: Record<string, string>;
  /** Secrets the stack created, by ARN. */
  secretArns?: string[];
}

export interface StandInState {
  stacks: Record<string, StandInStack>;
  healthStatus?: number;
}

export interface StandInRequest {
  /** `cloudformation:DescribeStacks`, `cloudformation:ListStackResources`, `GET /health`. */
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

export const startAwsStandIn = async (state: StandInState): Promise<RunningStandIn> => {
  const requests: StandInRequest[] = [];

  const xml = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
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
    if (req.method === 'GET' && path === '/health') {
      res.writeHead(state.healthStatus ?? 200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ status: 'ok' }));
    }
    if (req.method === 'POST' && path === '/')
      return cloudFormation(res, request, new URLSearchParams(body));
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'not in the stand-in' }));
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
