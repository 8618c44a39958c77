#!/usr/bin/env bash
# RESULTS.md section 17: the first OTLP export's time and classes loaded, the agent's own exporter against the
# OpenTelemetry SDK's, each in fresh JVMs (single-file source programs; javac's work is outside the measured region).
# Needs the reactor built (core, bootstrap classes) and Maven to resolve the SDK's exporter into the local repository.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
mvn -B -q -f "$here/pom.xml" ${MAVEN_REPO:+-Dmaven.repo.local=$MAVEN_REPO} dependency:build-classpath -Dmdep.outputFile="$here/target-cp.txt"
ours="$root/core/target/classes:$root/bootstrap/target/classes"
for i in 1 2 3 4 5; do
  java -cp "$ours" "$here/OursStartCost.java"
  java -cp "$(cat "$here/target-cp.txt")" "$here/OtelStartCost.java" 2>/dev/null | tail -1
done
