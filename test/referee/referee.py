"""Confluent's Python client as a referee for the suite's serdes (see test/setup/python.ts).

One command per run: JSON in on stdin, JSON out on stdout. Bytes travel as base64; values that
JSON cannot carry losslessly travel as tagged objects ({"$bytes": b64}, {"$long": "123"},
{"$decimal": "1.50"}, {"$datetime": iso}, {"$date": "2024-01-02"}, {"$time": "01:02:03.004"},
{"$uuid": "..."}), so both sides compare exact values.
"""
import base64
import datetime
import decimal
import importlib
import json
import os
import sys
import tempfile
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import (
    SchemaRegistryClient,
    dual_schema_id_deserializer,
    header_schema_id_serializer,
    prefix_schema_id_serializer,
    record_subject_name_strategy,
    topic_record_subject_name_strategy,
    topic_subject_name_strategy,
)
from confluent_kafka.schema_registry import _KEY_SCHEMA_ID, _VALUE_SCHEMA_ID
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

SAFE = 2**53 - 1
STRATEGIES = {
    'topicName': topic_subject_name_strategy,
    'recordName': record_subject_name_strategy,
    'topicRecordName': topic_record_subject_name_strategy,
}


def b64(data):
    return None if data is None else base64.b64encode(bytes(data)).decode('ascii')


def unb64(text):
    return None if text is None else base64.b64decode(text)


def untag(value):
    """JSON test value -> the Python value Confluent's serializers expect."""
    if isinstance(value, list):
        return [untag(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (tag, inner), = value.items()
            if tag == '$bytes':
                return unb64(inner)
            if tag == '$long':
                return int(inner)
            if tag == '$decimal':
                return decimal.Decimal(inner)
            if tag == '$datetime':
                return datetime.datetime.fromisoformat(inner.replace('Z', '+00:00'))
            if tag == '$date':
                return datetime.date.fromisoformat(inner)
            if tag == '$time':
                return datetime.time.fromisoformat(inner)
            if tag == '$uuid':
                return uuid.UUID(inner)
        return {k: untag(v) for k, v in value.items()}
    return value


def tag(value):
    """Python value from a deserializer -> tagged JSON (the inverse of untag)."""
    if isinstance(value, (bytes, bytearray)):
        return {'$bytes': b64(value)}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if -SAFE <= value <= SAFE else {'$long': str(value)}
    if isinstance(value, float):
        return value
    if isinstance(value, decimal.Decimal):
        return {'$decimal': str(value)}
    if isinstance(value, datetime.datetime):
        # Naive datetimes are Avro local timestamps: no zone to convert from.
        utc = value if value.tzinfo is None else value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return {'$datetime': utc.isoformat(timespec='microseconds') + 'Z'}
    if isinstance(value, datetime.date):
        return {'$date': value.isoformat()}
    if isinstance(value, datetime.time):
        return {'$time': value.isoformat(timespec='microseconds')}
    if isinstance(value, uuid.UUID):
        return {'$uuid': str(value)}
    if isinstance(value, (list, tuple)):
        return [tag(v) for v in value]
    if isinstance(value, dict):
        return {k: tag(v) for k, v in value.items()}
    if hasattr(value, 'DESCRIPTOR'):
        from google.protobuf.json_format import MessageToDict
        return MessageToDict(value, preserving_proto_field_name=False)
    return str(value)


def proto_module(proto_text, name='referee'):
    """Compiles .proto text with protoc (grpcio-tools) and imports the generated module."""
    from grpc_tools import protoc
    work = tempfile.mkdtemp(prefix='referee-proto-')
    path = os.path.join(work, f'{name}.proto')
    with open(path, 'w') as handle:
        handle.write(proto_text)
    include = os.path.join(os.path.dirname(protoc.__file__), '_proto')
    code = protoc.main(['protoc', f'-I{work}', f'-I{include}', f'--python_out={work}', path])
    if code != 0:
        raise RuntimeError(f'protoc failed with {code}')
    sys.path.insert(0, work)
    return importlib.import_module(f'{name}_pb2')


def header_id_serializer(payload, ctx, schema_id):
    """Confluent 8 header framing with the 4-byte id (0x00 + id), built by the client's own SchemaId.

    Confluent's header_schema_id_serializer writes the GUID form, which needs a registry that
    serves GUIDs; Apicurio's ccompat API here does not, so the id form is what can be proven.
    """
    header = _KEY_SCHEMA_ID if ctx.field == MessageField.KEY else _VALUE_SCHEMA_ID
    ctx.headers.append((header, schema_id.id_to_bytes()))
    return payload


def serializer_for(registry, spec, field):
    """spec: {format, schema, strategy, autoRegister, useLatest, headerIds, message}."""
    conf = {
        'auto.register.schemas': spec.get('autoRegister', True),
        'use.latest.version': spec.get('useLatest', False),
        'subject.name.strategy': STRATEGIES[spec.get('strategy', 'topicName')],
        'schema.id.serializer': (header_schema_id_serializer if spec.get('headerIds') == 'guid' else header_id_serializer) if spec.get('headerIds') else prefix_schema_id_serializer,
    }
    if spec['format'] == 'AVRO':
        return AvroSerializer(registry, spec['schema'], conf=conf)
    if spec['format'] == 'JSON':
        return JSONSerializer(spec['schema'], registry, conf=conf)
    raise ValueError(f"no serializer for {spec['format']}")


def deserializer_for(registry, spec):
    if spec['format'] == 'AVRO':
        return AvroDeserializer(registry, conf={'schema.id.deserializer': dual_schema_id_deserializer})
    if spec['format'] == 'JSON':
        return JSONDeserializer(None, schema_registry_client=registry, conf={'schema.id.deserializer': dual_schema_id_deserializer})
    raise ValueError(f"no deserializer for {spec['format']}")


def deliver(producer, records):
    """Produces prepared records; returns partition/offset per record, in order."""
    results = [None] * len(records)

    def done(index):
        def callback(error, message):
            results[index] = {'error': str(error)} if error else {'partition': message.partition(), 'offset': message.offset()}
        return callback

    for index, record in enumerate(records):
        kwargs = {'value': record.get('value'), 'key': record.get('key'), 'headers': record.get('headers') or None, 'on_delivery': done(index)}
        if record.get('partition') is not None:
            kwargs['partition'] = record['partition']
        while True:
            try:
                producer.produce(record['topic'], **kwargs)
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
    remaining = producer.flush(60)
    if remaining:
        raise RuntimeError(f'{remaining} messages not delivered')
    failed = [r for r in results if r is None or 'error' in r]
    if failed:
        raise RuntimeError(f'delivery failed: {failed[:3]}')
    return results


def cmd_produce_raw(request):
    """Any bytes the broker accepts: null/empty keys and values, null and repeated headers."""
    producer = Producer({'bootstrap.servers': request['bootstrap'], 'enable.idempotence': True, 'linger.ms': 5, 'acks': 'all'})
    records = []
    for message in request['messages']:
        headers = [(name, unb64(value)) for name, value in (message.get('headers') or [])]
        records.append({'topic': request['topic'], 'partition': message.get('partition'), 'key': unb64(message.get('key')), 'value': unb64(message.get('value')), 'headers': headers})
    return {'delivered': deliver(producer, records)}


def cmd_serialize_produce(request):
    """Serializes with Confluent's serializers (key and/or value), produces, and returns the bytes written."""
    registry = SchemaRegistryClient({'url': request['registry']})
    topic = request['topic']
    sides = {}
    for field, side in (('key', MessageField.KEY), ('value', MessageField.VALUE)):
        if request.get(field):
            sides[field] = (serializer_for(registry, request[field], side), side)
    producer = Producer({'bootstrap.servers': request['bootstrap'], 'enable.idempotence': True, 'acks': 'all'})
    records = []
    written = []
    for record in request['records']:
        headers = []
        out = {'topic': topic, 'partition': record.get('partition')}
        entry = {}
        for field in ('key', 'value'):
            raw = record.get(field)
            if field in sides:
                serializer, side = sides[field]
                data = serializer(untag(raw), SerializationContext(topic, side, headers))
            else:
                data = None if raw is None else str(raw).encode('utf8')
            out[field] = data
            entry[field] = b64(data)
        out['headers'] = headers
        entry['headers'] = [[name, b64(value)] for name, value in headers]
        records.append(out)
        written.append(entry)
    delivered = deliver(producer, records)
    for entry, where in zip(written, delivered):
        entry.update(where)
    return {'records': written}


def cmd_consume_deserialize(request):
    """Reads `count` messages from the start and decodes them with Confluent's deserializers."""
    registry = SchemaRegistryClient({'url': request['registry']})
    deserializers = {}
    for field, side in (('key', MessageField.KEY), ('value', MessageField.VALUE)):
        if request.get(field):
            deserializers[field] = (deserializer_for(registry, request[field]), side)
    consumer = Consumer({'bootstrap.servers': request['bootstrap'], 'group.id': request['group'], 'auto.offset.reset': 'earliest', 'enable.auto.commit': False})
    consumer.subscribe([request['topic']])
    out = []
    import time
    deadline = time.time() + request.get('timeoutSeconds', 60)
    try:
        while len(out) < request['count'] and time.time() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                raise RuntimeError(str(message.error()))
            headers = message.headers() or []
            entry = {'partition': message.partition(), 'offset': message.offset(), 'headers': [[n, b64(v)] for n, v in headers]}
            for field in ('key', 'value'):
                raw = message.key() if field == 'key' else message.value()
                entry[f'{field}Bytes'] = b64(raw)
                if field in deserializers and raw is not None:
                    deserializer, side = deserializers[field]
                    try:
                        entry[field] = tag(deserializer(raw, SerializationContext(message.topic(), side, headers)))
                    except Exception as error:  # reported per message: the test names the one that failed
                        entry[f'{field}Error'] = f'{type(error).__name__}: {error}'
                else:
                    entry[field] = None if raw is None else raw.decode('utf8', 'replace')
            out.append(entry)
    finally:
        consumer.close()
    return {'messages': out}


def proto_class(module, full_name):
    from google.protobuf import message_factory
    return message_factory.GetMessageClass(module.DESCRIPTOR.pool.FindMessageTypeByName(full_name))


def proto_by_indexes(module, indexes):
    """The message the indexes designate, walking protoc's own descriptor (map entries included)."""
    from google.protobuf import descriptor_pb2
    proto = descriptor_pb2.FileDescriptorProto()
    module.DESCRIPTOR.CopyToProto(proto)
    names = []
    level = proto.message_type
    for index in indexes:
        names.append(level[index].name)
        level = level[index].nested_type
    full = '.'.join(([proto.package] if proto.package else []) + names)
    return proto_class(module, full), full


def cmd_proto_produce(request):
    """Protobuf framed with the client's own helpers: _create_index_array over protoc's descriptor and
    SchemaId.id_to_bytes. Its ProtobufSerializer cannot be used here: it registers and looks up
    schemas as serialized descriptors, which Apicurio's ccompat API answers with .proto text."""
    from google.protobuf import json_format
    from confluent_kafka.schema_registry.common.protobuf import _create_index_array
    from confluent_kafka.schema_registry.common.serde import SchemaId
    module = proto_module(request['proto'], request.get('module', 'referee_proto'))

    def frame(spec, value):
        cls = proto_class(module, spec['message'])
        message = json_format.ParseDict(value, cls())
        indexes = _create_index_array(cls.DESCRIPTOR)
        return SchemaId('PROTOBUF', schema_id=spec['schemaId'], message_indexes=indexes).id_to_bytes() + message.SerializeToString(), indexes

    producer = Producer({'bootstrap.servers': request['bootstrap'], 'enable.idempotence': True, 'acks': 'all'})
    records, written = [], []
    for record in request['records']:
        value, indexes = frame(request['value'], record['value'])
        key = frame(request['key'], record['key'])[0] if request.get('key') else None
        records.append({'topic': request['topic'], 'partition': 0, 'key': key, 'value': value, 'headers': []})
        written.append({'key': b64(key), 'value': b64(value), 'indexes': indexes})
    for entry, where in zip(written, deliver(producer, records)):
        entry.update(where)
    return {'records': written}


def cmd_proto_consume(request):
    """Reads Protobuf records: the client's SchemaId parses the framing, protoc's descriptor picks the message."""
    import io
    import time
    from google.protobuf import json_format
    from confluent_kafka.schema_registry.common.serde import SchemaId
    module = proto_module(request['proto'], request.get('module', 'referee_proto_c'))

    def decode(raw):
        schema_id = SchemaId('PROTOBUF')
        rest = schema_id.from_bytes(io.BytesIO(raw))
        cls, full = proto_by_indexes(module, schema_id.message_indexes)
        message = cls()
        message.ParseFromString(rest.read())
        return {'schemaId': schema_id.id, 'indexes': schema_id.message_indexes, 'message': full,
                'json': json_format.MessageToDict(message, always_print_fields_with_no_presence=True)}

    consumer = Consumer({'bootstrap.servers': request['bootstrap'], 'group.id': request['group'], 'auto.offset.reset': 'earliest', 'enable.auto.commit': False})
    consumer.subscribe([request['topic']])
    out = []
    deadline = time.time() + 60
    try:
        while len(out) < request['count'] and time.time() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                raise RuntimeError(str(message.error()))
            entry = {'offset': message.offset()}
            for field, raw in (('value', message.value()), ('key', message.key())):
                try:
                    entry[field] = decode(raw) if raw is not None and (field == 'value' or request.get('key')) else None
                except Exception as error:
                    entry[f'{field}Error'] = f'{type(error).__name__}: {error}'
            out.append(entry)
    finally:
        consumer.close()
    return {'messages': out}


def cmd_proto_serde_produce(request):
    """Confluent's own ProtobufSerializer, registering the schema itself (as a serialized descriptor)."""
    from google.protobuf import json_format
    from confluent_kafka.schema_registry.protobuf import ProtobufSerializer
    module = proto_module(request['proto'], request.get('module', 'referee_proto_s'))
    registry = SchemaRegistryClient({'url': request['registry']})
    sides = {}
    for field, side in (('key', MessageField.KEY), ('value', MessageField.VALUE)):
        spec = request.get(field)
        if spec:
            cls = proto_class(module, spec['message'])
            conf = {'auto.register.schemas': True, 'use.deprecated.format': False, 'subject.name.strategy': STRATEGIES[spec.get('strategy', 'topicName')]}
            sides[field] = (cls, ProtobufSerializer(cls, registry, conf=conf), side)
    producer = Producer({'bootstrap.servers': request['bootstrap'], 'enable.idempotence': True, 'acks': 'all'})
    records, written = [], []
    for record in request['records']:
        out = {'topic': request['topic'], 'partition': 0, 'headers': []}
        for field, (cls, serializer, side) in sides.items():
            out[field] = serializer(json_format.ParseDict(record[field], cls()), SerializationContext(request['topic'], side, []))
        records.append(out)
        written.append({'key': b64(out.get('key')), 'value': b64(out.get('value'))})
    for entry, where in zip(written, deliver(producer, records)):
        entry.update(where)
    return {'records': written}


def cmd_proto_serde_consume(request):
    """Confluent's own ProtobufDeserializer (it fetches the writer schema from the registry)."""
    import time
    from google.protobuf import json_format
    from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer
    module = proto_module(request['proto'], request.get('module', 'referee_proto_d'))
    registry = SchemaRegistryClient({'url': request['registry']})
    sides = {}
    for field, side in (('key', MessageField.KEY), ('value', MessageField.VALUE)):
        spec = request.get(field)
        if spec:
            cls = proto_class(module, spec['message'])
            sides[field] = (ProtobufDeserializer(cls, {'use.deprecated.format': False}, schema_registry_client=registry), side)
    consumer = Consumer({'bootstrap.servers': request['bootstrap'], 'group.id': request['group'], 'auto.offset.reset': 'earliest', 'enable.auto.commit': False})
    consumer.subscribe([request['topic']])
    out = []
    deadline = time.time() + 60
    try:
        while len(out) < request['count'] and time.time() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                raise RuntimeError(str(message.error()))
            entry = {'offset': message.offset()}
            for field, (deserializer, side) in sides.items():
                raw = message.value() if field == 'value' else message.key()
                try:
                    decoded = deserializer(raw, SerializationContext(message.topic(), side, message.headers() or []))
                    entry[field] = json_format.MessageToDict(decoded, always_print_fields_with_no_presence=True)
                except Exception as error:
                    entry[f'{field}Error'] = f'{type(error).__name__}: {error}'
            out.append(entry)
    finally:
        consumer.close()
    return {'messages': out}


COMMANDS = {
    'proto-serde-produce': cmd_proto_serde_produce,
    'proto-serde-consume': cmd_proto_serde_consume,
    'proto-produce': cmd_proto_produce,
    'proto-consume': cmd_proto_consume,
    'produce-raw': cmd_produce_raw,
    'serialize-produce': cmd_serialize_produce,
    'consume-deserialize': cmd_consume_deserialize,
}

if __name__ == '__main__':
    result = COMMANDS[sys.argv[1]](json.load(sys.stdin))
    json.dump(result, sys.stdout)
