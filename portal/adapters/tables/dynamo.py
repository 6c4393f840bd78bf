"""The single table on DynamoDB: the only code that calls the DynamoDB API."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from portal.adapters.aws.errors import busy_on_trouble
from portal.adapters.tables import (
    INDEX_KEYS,
    AnyOf,
    Below,
    Check,
    Condition,
    ConditionFailed,
    Delete,
    Equals,
    Exists,
    Item,
    Key,
    NotExists,
    Operation,
    Put,
)
from portal.domain.errors import ServiceBusy

BATCH_WRITE_MAX = 25  # BatchWriteItem's limit per request
UNPROCESSED_TRIES = 6  # rounds for what a batch call hands back under load (backing off)


def _plain(value: Any) -> Any:
    """DynamoDB numbers arrive as Decimal; the repository wants ints (we store no floats)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, set, tuple)):
        return [_plain(v) for v in value]
    return value


class _Expression:
    """Builds a ConditionExpression with numbered placeholders."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self._n = 0

    def _name(self, attribute: str) -> str:
        placeholder = f"#n{len(self.names)}"
        self.names[placeholder] = attribute
        return placeholder

    def _value(self, value: Any, serialize: Callable[[Any], Any]) -> str:
        placeholder = f":v{self._n}"
        self._n += 1
        self.values[placeholder] = serialize(value)
        return placeholder

    def render(self, condition: Condition, serialize: Callable[[Any], Any]) -> str:
        if isinstance(condition, NotExists):
            return f"attribute_not_exists({self._name('pk')})"
        if isinstance(condition, Exists):
            return f"attribute_exists({self._name('pk')})"
        if isinstance(condition, Equals):
            return f"{self._name(condition.attribute)} = {self._value(condition.value, serialize)}"
        if isinstance(condition, Below):
            return f"{self._name(condition.attribute)} < {self._value(condition.value, serialize)}"
        if isinstance(condition, AnyOf):
            return " OR ".join(f"({self.render(c, serialize)})" for c in condition.conditions)
        raise TypeError(condition)


class DynamoTable:
    def __init__(self, client: Any, table_name: str) -> None:
        from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

        self.client = client
        self.name = table_name
        self._ser = TypeSerializer().serialize
        self._de = TypeDeserializer().deserialize

    # -- codec --
    def _to_av(self, item: Item) -> dict[str, Any]:
        return {k: self._ser(v) for k, v in item.items() if v is not None}

    def _from_av(self, item: dict[str, Any]) -> Item:
        return {k: _plain(self._de(v)) for k, v in item.items()}

    def _key(self, pk: str, sk: str) -> dict[str, Any]:
        return {"pk": {"S": pk}, "sk": {"S": sk}}

    def _conditional(self, condition: Condition) -> dict[str, Any]:
        if condition is None:
            return {}
        expr = _Expression()
        out = {"ConditionExpression": expr.render(condition, self._ser),
               "ExpressionAttributeNames": expr.names}
        if expr.values:
            out["ExpressionAttributeValues"] = expr.values
        return out

    # -- reads --
    @busy_on_trouble
    def get(self, pk: str, sk: str, consistent: bool = False) -> Item | None:
        answer = self.client.get_item(TableName=self.name, Key=self._key(pk, sk),
                                      ConsistentRead=consistent)
        return self._from_av(answer["Item"]) if "Item" in answer else None

    @busy_on_trouble
    def batch_get(self, keys: Sequence[Key], consistent: bool = False) -> dict[Key, Item]:
        keys = list(dict.fromkeys(keys))
        found = {}
        pending = [self._key(pk, sk) for pk, sk in keys]
        while pending:
            chunk, pending = pending[:100], pending[100:]
            request: dict[str, Any] | None = {self.name: {"Keys": chunk, "ConsistentRead": consistent}}
            for attempt in range(UNPROCESSED_TRIES):
                answer = self.client.batch_get_item(RequestItems=request)
                for raw in answer["Responses"].get(self.name, []):
                    item = self._from_av(raw)
                    found[(item["pk"], item["sk"])] = item
                request = answer.get("UnprocessedKeys") or None
                if not request:
                    break
                _back_off(attempt)
            else:
                raise ServiceBusy()
        return found

    @busy_on_trouble
    def query(self, pk: str, *, index: str | None = None, begins: str | None = None,
              between: tuple[str, str] | None = None, limit: int | None = None,
              reverse: bool = False, consistent: bool = False) -> list[Item]:
        hash_name, range_name = INDEX_KEYS[index] if index else ("pk", "sk")
        names = {"#h": hash_name}
        values = {":h": {"S": pk}}
        expression = "#h = :h"
        if begins is not None:
            names["#r"] = range_name
            values[":b"] = {"S": begins}
            expression += " AND begins_with(#r, :b)"
        elif between is not None:
            names["#r"] = range_name
            values[":lo"], values[":hi"] = {"S": between[0]}, {"S": between[1]}
            expression += " AND #r BETWEEN :lo AND :hi"
        params = {
            "TableName": self.name, "KeyConditionExpression": expression,
            "ExpressionAttributeNames": names, "ExpressionAttributeValues": values,
            "ScanIndexForward": not reverse,
        }
        if index:
            params["IndexName"] = index
        elif consistent:
            params["ConsistentRead"] = True
        items: list[Item] = []
        while True:
            if limit:
                params["Limit"] = limit - len(items)
            answer = self.client.query(**params)
            items.extend(self._from_av(i) for i in answer.get("Items", []))
            if "LastEvaluatedKey" not in answer or (limit and len(items) >= limit):
                return items
            params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    # -- writes --
    @busy_on_trouble
    def put(self, item: Item, condition: Condition = None) -> None:
        try:
            self.client.put_item(TableName=self.name, Item=self._to_av(item),
                                 **self._conditional(condition))
        except self.client.exceptions.ConditionalCheckFailedException:
            raise ConditionFailed([0]) from None

    @busy_on_trouble
    def delete(self, pk: str, sk: str, condition: Condition = None) -> None:
        try:
            self.client.delete_item(TableName=self.name, Key=self._key(pk, sk),
                                    **self._conditional(condition))
        except self.client.exceptions.ConditionalCheckFailedException:
            raise ConditionFailed([0]) from None

    @busy_on_trouble
    def update(self, pk: str, sk: str, fields: Item, condition: Condition = Exists()) -> None:
        """Set the named attributes (None removes one), leaving the others as they are."""
        names, values, sets, removes = {}, {}, [], []
        for i, (name, value) in enumerate(fields.items()):
            names[f"#u{i}"] = name
            if value is None:
                removes.append(f"#u{i}")
            else:
                values[f":u{i}"] = self._ser(value)
                sets.append(f"#u{i} = :u{i}")
        expression = " ".join(part for part in (
            "SET " + ", ".join(sets) if sets else "", "REMOVE " + ", ".join(removes) if removes else "")
            if part)
        conditional = self._conditional(condition)
        names.update(conditional.pop("ExpressionAttributeNames", {}))
        values.update(conditional.pop("ExpressionAttributeValues", {}))
        params = {"TableName": self.name, "Key": self._key(pk, sk), "UpdateExpression": expression,
                  "ExpressionAttributeNames": names, **conditional}
        if values:
            params["ExpressionAttributeValues"] = values
        try:
            self.client.update_item(**params)
        except self.client.exceptions.ConditionalCheckFailedException:
            raise ConditionFailed([0]) from None

    @busy_on_trouble
    def add(self, pk: str, sk: str, attribute: str, amount: int, extra: Item | None = None) -> int:
        names = {"#a": attribute}
        values = {":n": {"N": str(amount)}}
        sets = []
        for i, (name, value) in enumerate((extra or {}).items()):
            names[f"#e{i}"] = name
            values[f":e{i}"] = self._ser(value)
            sets.append(f"#e{i} = if_not_exists(#e{i}, :e{i})")
        expression = "ADD #a :n" + (" SET " + ", ".join(sets) if sets else "")
        answer = self.client.update_item(
            TableName=self.name, Key=self._key(pk, sk), UpdateExpression=expression,
            ExpressionAttributeNames=names, ExpressionAttributeValues=values,
            ReturnValues="UPDATED_NEW",
        )
        return int(answer["Attributes"][attribute]["N"])

    @busy_on_trouble
    def transact(self, operations: Sequence[Operation]) -> None:
        if len(operations) == 1 and not isinstance(operations[0], Check):
            # One item needs no transaction: a conditional single write is atomic and cheaper.
            single = operations[0]
            return self.put(single.item, single.condition) if isinstance(single, Put) else \
                self.delete(single.pk, single.sk, single.condition)
        items: list[dict[str, Any]] = []
        for op in operations:
            if isinstance(op, Put):
                entry = {"TableName": self.name, "Item": self._to_av(op.item)}
                entry.update(self._conditional(op.condition))
                items.append({"Put": entry})
            elif isinstance(op, Delete):
                entry = {"TableName": self.name, "Key": self._key(op.pk, op.sk)}
                entry.update(self._conditional(op.condition))
                items.append({"Delete": entry})
            else:
                entry = {"TableName": self.name, "Key": self._key(op.pk, op.sk)}
                entry.update(self._conditional(op.condition))
                items.append({"ConditionCheck": entry})
        for attempt in range(4):
            try:
                self.client.transact_write_items(TransactItems=items)
                return
            except self.client.exceptions.TransactionCanceledException as error:
                reasons = error.response.get("CancellationReasons", [])
                failed = [i for i, r in enumerate(reasons)
                          if r.get("Code") == "ConditionalCheckFailed"]
                if failed or not reasons:
                    raise ConditionFailed(failed or list(range(len(operations)))) from None
                # TransactionConflict (another transaction held an item) or throttling: try
                # again shortly; the conditions then decide who wins.
                _back_off(attempt)
        raise ServiceBusy()

    # -- batch writes: no conditions, for rows that claim nothing (an import) --
    @busy_on_trouble
    def put_many(self, items: Iterable[Item]) -> None:
        """Write the items in BatchWriteItem calls of 25, retrying what comes back unprocessed.
        Not atomic and not conditional: the caller writes only items that nothing else claims."""
        unique = {(i["pk"], i["sk"]): i for i in items}  # a batch may name an item once
        pending = [{"PutRequest": {"Item": self._to_av(i)}} for i in unique.values()]
        while pending:
            chunk, pending = pending[:BATCH_WRITE_MAX], pending[BATCH_WRITE_MAX:]
            request: dict[str, Any] | None = {self.name: chunk}
            for attempt in range(UNPROCESSED_TRIES):
                answer = self.client.batch_write_item(RequestItems=request)
                request = answer.get("UnprocessedItems") or None
                if not request:
                    break
                _back_off(attempt)
            else:
                raise ServiceBusy()


def _back_off(attempt: int) -> None:
    time.sleep(min(0.05 * (2 ** attempt), 1.0))
