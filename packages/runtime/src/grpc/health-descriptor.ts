import { create } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FileDescriptorProtoSchema,
  type FileDescriptorProto,
} from '@bufbuild/protobuf/wkt';

const pkg = 'grpc.health.v1';
const ref = (name: string) => `.${pkg}.${name}`;

/**
 * The descriptor of grpc.health.v1 (Check, Watch, List) with fully qualified type names: the health service encodes
 * its messages from it, and reflection serves it (descriptors that proto-loader derives from the .proto use relative
 * names, which strict clients such as buf curl refuse).
 */
export const healthFileDescriptor: FileDescriptorProto = create(FileDescriptorProtoSchema, {
  name: 'grpc/health/v1/health.proto',
  package: pkg,
  syntax: 'proto3',
  messageType: [
    { name: 'HealthCheckRequest', field: [{ name: 'service', jsonName: 'service', number: 1, label: Label.OPTIONAL, type: Type.STRING }] },
    {
      name: 'HealthCheckResponse',
      field: [{ name: 'status', jsonName: 'status', number: 1, label: Label.OPTIONAL, type: Type.ENUM, typeName: ref('HealthCheckResponse.ServingStatus') }],
      enumType: [
        {
          name: 'ServingStatus',
          value: [
            { name: 'UNKNOWN', number: 0 },
            { name: 'SERVING', number: 1 },
            { name: 'NOT_SERVING', number: 2 },
            { name: 'SERVICE_UNKNOWN', number: 3 },
          ],
        },
      ],
    },
    { name: 'HealthListRequest' },
    {
      name: 'HealthListResponse',
      field: [
        { name: 'statuses', jsonName: 'statuses', number: 1, label: Label.REPEATED, type: Type.MESSAGE, typeName: ref('HealthListResponse.StatusesEntry') },
      ],
      nestedType: [
        {
          name: 'StatusesEntry',
          options: { mapEntry: true },
          field: [
            { name: 'key', jsonName: 'key', number: 1, label: Label.OPTIONAL, type: Type.STRING },
            { name: 'value', jsonName: 'value', number: 2, label: Label.OPTIONAL, type: Type.MESSAGE, typeName: ref('HealthCheckResponse') },
          ],
        },
      ],
    },
  ],
  service: [
    {
      name: 'Health',
      method: [
        { name: 'Check', inputType: ref('HealthCheckRequest'), outputType: ref('HealthCheckResponse') },
        { name: 'List', inputType: ref('HealthListRequest'), outputType: ref('HealthListResponse') },
        { name: 'Watch', inputType: ref('HealthCheckRequest'), outputType: ref('HealthCheckResponse'), serverStreaming: true },
      ],
    },
  ],
});
