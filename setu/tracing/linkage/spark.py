"""The distributed engine: the same model and the same SQL on Apache Spark (pyspark). Pure: no Django.

For data beyond one machine. Records are read into features on Spark's executors (`mapPartitions` over
setu.tracing.linkage.features.read_record: the setu package must be importable there, e.g. shipped with
`spark.submit.pyFiles`), then `SQLEngine` runs the very statements the DuckDB engine runs: blocking joins,
comparison levels, pattern counts for EM (only those come back to the driver), scoring. Spark SQL has
every function the model's SQL uses (levenshtein, instr, right, greatest, least, bit_or). `setu link
--engine spark` starts Spark in local mode unless `--spark-master` (or SPARK_MASTER) names a cluster;
`SparkEngine.load_dataframe` takes a DataFrame of the contract's columns read from anywhere Spark reads.

Needs the optional dependency pyspark (`pip install setu[spark]`) and Java 17 or newer.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable, Mapping

from setu.tracing.linkage.engine import Progress, SQLEngine, no_progress, sql_type
from setu.tracing.linkage.features import COLUMNS, FEATURE_NAMES, read_record


def _featurise(today: dt.date):
    def partition(rows):
        for rid, record in rows:
            features = read_record(record, today=today)
            yield (rid, *(getattr(features, name) for name in FEATURE_NAMES))

    return partition


class SparkEngine(SQLEngine):
    def __init__(self, *, master: str = "local[*]", spark=None, partitions: int = 8) -> None:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master(master)
        if master.startswith("local"):
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers use this process's packages
        self.spark = spark or (
            builder.appName("setu-linkage")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", str(partitions))
            .config("spark.sql.ansi.enabled", "false")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")
        self.partitions = partitions
        self.sizes = {}
        self._cached: list = []

    def close(self) -> None:
        for frame in self._cached:
            frame.unpersist()
        self._cached = []

    def _schema(self):
        from pyspark.sql.types import LongType, StringType, StructField, StructType

        fields = [StructField("rid", LongType(), False)]
        fields += [StructField(n, LongType() if sql_type(n) == "BIGINT" else StringType(), True) for n in FEATURE_NAMES]
        return StructType(fields)

    def load(self, table: str, records: Iterable[Mapping[str, str]], *, today: dt.date,
             progress: Progress = no_progress, total: int = 0) -> int:  # fmt: skip
        """Records from this process (the command line's reader) are featurised on the executors."""
        rows = [(rid, dict(record)) for rid, record in enumerate(records)]
        progress(f"reading {table}", len(rows), max(total, len(rows)))
        rdd = self.spark.sparkContext.parallelize(rows, self.partitions).mapPartitions(_featurise(today))
        return self._keep(table, self.spark.createDataFrame(rdd, self._schema()))

    def load_dataframe(self, table: str, frame, *, today: dt.date) -> int:
        """A Spark DataFrame with the contract's columns (strings; absent ones are blank) as `table`."""
        present = [c for c in COLUMNS if c in frame.columns]
        indexed = frame.select(*present).rdd.zipWithIndex().map(lambda pair: (pair[1], pair[0].asDict()))
        features = indexed.mapPartitions(_featurise(today))
        return self._keep(table, self.spark.createDataFrame(features, self._schema()))

    def _keep(self, table: str, frame) -> int:
        frame = frame.cache()
        self._cached.append(frame)
        frame.createOrReplaceTempView(table)
        self.sizes[table] = frame.count()
        return self.sizes[table]

    def materialise(self, name: str, sql: str) -> None:
        frame = self.spark.sql(sql).cache()
        self._cached.append(frame)
        frame.createOrReplaceTempView(name)

    def rows(self, sql: str) -> list[tuple]:
        return [tuple(row) for row in self.spark.sql(sql).collect()]

    def register(self, name: str, columns: dict[str, list], types: dict[str, str]) -> None:
        from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

        kinds = {"BIGINT": LongType(), "DOUBLE": DoubleType(), "STRING": StringType()}
        schema = StructType([StructField(key, kinds[types[key]], True) for key in columns])
        rows = list(zip(*columns.values(), strict=True)) if columns else []
        self.spark.createDataFrame(rows, schema).createOrReplaceTempView(name)
