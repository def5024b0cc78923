// An independent OPC UA server (node-opcua) that follows factorygraph's plant address space
// contract (ingest/opcua/address_space.py), so the ingest is tested and benchmarked against a
// server that is not asyncua.
//
// Usage: node server.mjs --port P (--machines N | --machines-file F) [--rate HZ]
//          [--nodeset-dir DIR] [--pki-dir DIR] [--host H] [--security none|sign-and-encrypt]
//          [--min-sample-ms MS] [--seed S]
//
// stdout carries only the protocol: one `READY opc.tcp://127.0.0.1:<port>` line once
// serving, then one `OK` or `ERROR <why>` line per stdin command. Every library message goes
// to stderr. Commands on stdin, one JSON object per line:
//   {"machine":"M-0001","state":"Executing","at":"2026-11-22T10:00:00Z"}
//   {"machine":"M-0001","mode":"Processing","at":"..."}
//   {"machine":"M-0001","var":"GoodParts","value":5,"at":"...","status":"Good|Bad|Uncertain"}
// `at` (the sourceTimestamp) defaults to now. The process exits on SIGTERM, SIGINT or stdin EOF.

import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

// Keep stdout for the protocol: node-opcua prints warnings through console.*.
const protocolOut = (line) => process.stdout.write(`${line}\n`);
for (const name of ["log", "info", "warn", "debug", "trace"]) {
    console[name] = (...args) => process.stderr.write(`${args.map(String).join(" ")}\n`);
}

const {
    DataType,
    LocalizedText,
    MessageSecurityMode,
    OPCUACertificateManager,
    OPCUAServer,
    SecurityPolicy,
    StatusCodes,
    nodesets
} = await import("node-opcua");

// The contract (mirrors ingest/opcua/address_space.py).
const MACHINERY_NS = "http://opcfoundation.org/UA/Machinery/";
const DI_NS = "http://opcfoundation.org/UA/DI/";
const PLANT_NS = "urn:factorygraph:plant";
const MACHINES_FOLDER_ID = 1001;
const ITEM_STATES = ["NotAvailable", "OutOfService", "NotExecuting", "Executing"];
const OPERATION_MODES = ["None", "Maintenance", "Setup", "Processing"];
const STATUS = {
    Good: StatusCodes.Good,
    Bad: StatusCodes.BadSensorFailure,
    Uncertain: StatusCodes.UncertainLastUsableValue
};

// Monitoring variables: data type, start value, and how a --rate tick moves them
// (doubles drift around AI4I 2020-like levels, counters only grow).
const PROCESS_VARIABLES = [
    { name: "AirTemperature", dataType: DataType.Double, start: 300.0, drift: 0.1 },
    { name: "ProcessTemperature", dataType: DataType.Double, start: 310.0, drift: 0.1 },
    { name: "RotationalSpeed", dataType: DataType.Double, start: 1500.0, drift: 5.0 },
    { name: "Torque", dataType: DataType.Double, start: 40.0, drift: 0.5 },
    { name: "ToolWear", dataType: DataType.Double, start: 0.0, grow: 0.01 },
    { name: "GoodParts", dataType: DataType.UInt32, start: 0, counter: true },
    { name: "ScrapParts", dataType: DataType.UInt32, start: 0, counter: true },
    { name: "CurrentWorkOrderId", dataType: DataType.String, start: "" }
];

function parseArgs(argv) {
    const args = {
        port: 0,
        machines: 0,
        machinesFile: null,
        rate: 0,
        nodesetDir: null,
        pkiDir: null,
        host: "127.0.0.1",
        security: "none",
        minSampleMs: 0,
        seed: 42
    };
    const names = {
        "--port": ["port", Number],
        "--machines": ["machines", Number],
        "--machines-file": ["machinesFile", String],
        "--rate": ["rate", Number],
        "--nodeset-dir": ["nodesetDir", String],
        "--pki-dir": ["pkiDir", String],
        "--host": ["host", String],
        "--security": ["security", String],
        "--min-sample-ms": ["minSampleMs", Number],
        "--seed": ["seed", Number]
    };
    for (let i = 0; i < argv.length; i += 2) {
        const spec = names[argv[i]];
        if (!spec || i + 1 >= argv.length) {
            throw new Error(`unknown or incomplete argument ${argv[i]}`);
        }
        const value = spec[1](argv[i + 1]);
        if (typeof value === "number" && !Number.isFinite(value)) {
            throw new Error(`${argv[i]} needs a number, got ${argv[i + 1]}`);
        }
        args[spec[0]] = value;
    }
    if (!Number.isInteger(args.port) || args.port <= 0) {
        throw new Error("--port P is required");
    }
    if (!["none", "sign-and-encrypt"].includes(args.security)) {
        throw new Error("--security is none or sign-and-encrypt");
    }
    if (args.rate < 0) {
        throw new Error("--rate must be >= 0");
    }
    return args;
}

function machineList(args) {
    if (args.machinesFile) {
        const rows = JSON.parse(fs.readFileSync(args.machinesFile, "utf8"));
        if (!Array.isArray(rows)) {
            throw new Error("--machines-file holds a JSON array of machines");
        }
        for (const row of rows) {
            for (const key of ["id", "manufacturer", "serial_number", "product_instance_uri"]) {
                if (typeof row[key] !== "string" || row[key] === "") {
                    throw new Error(`machine ${JSON.stringify(row)} lacks a string ${key}`);
                }
            }
        }
        return rows;
    }
    if (!Number.isInteger(args.machines) || args.machines <= 0) {
        throw new Error("--machines N (N >= 1) or --machines-file F is required");
    }
    return Array.from({ length: args.machines }, (_, i) => {
        const id = `M-${String(i + 1).padStart(4, "0")}`;
        return {
            id,
            manufacturer: "factorygraph node-opcua simulator",
            serial_number: `NO-${String(i + 1).padStart(6, "0")}`,
            product_instance_uri: `urn:factorygraph:machine:${id}`
        };
    });
}

function nodesetFiles(nodesetDir) {
    if (!nodesetDir) {
        return [nodesets.standard, nodesets.di, nodesets.ia, nodesets.machinery];
    }
    return [
        nodesets.standard,
        path.join(nodesetDir, "DI", "Opc.Ua.Di.NodeSet2.xml"),
        path.join(nodesetDir, "Machinery", "Opc.Ua.Machinery.NodeSet2.xml")
    ];
}

// A small seeded generator so runs with the same --seed drift the same way.
function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function mustFind(node, what) {
    if (!node) {
        throw new Error(`the address space lacks ${what}`);
    }
    return node;
}

// The Machinery state machine types and their state objects (for CurrentState/Id).
function stateMachine(addressSpace, ns, typeName, stateNames) {
    const type = mustFind(addressSpace.findObjectType(typeName, ns.machinery), typeName);
    const stateIds = new Map();
    for (const name of stateNames) {
        const state = mustFind(type.getComponentByName(name, ns.machinery), `${typeName}/${name}`);
        stateIds.set(name, state.nodeId);
    }
    return { type, stateIds };
}

function setState(machine, which, name, at) {
    const { currentState, idProperty, stateIds } = machine[which];
    currentState.setValueFromSource(
        { dataType: DataType.LocalizedText, value: new LocalizedText({ locale: "en", text: name }) },
        StatusCodes.Good,
        at
    );
    idProperty?.setValueFromSource(
        { dataType: DataType.NodeId, value: stateIds.get(name) },
        StatusCodes.Good,
        at
    );
}

function buildMachine(addressSpace, ns, types, folder, spec, plant, now) {
    const machine = plant.addObject({
        browseName: spec.id,
        nodeId: `s=${spec.id}`,
        organizedBy: folder
    });
    const identification = types.identification.instantiate({
        browseName: { name: "Identification", namespaceIndex: ns.di },
        nodeId: `s=${spec.id}.Identification`,
        addInOf: machine,
        namespace: plant
    });
    const property = (name) =>
        mustFind(
            identification.getPropertyByName(name, ns.di) ??
                identification.getPropertyByName(name, ns.machinery),
            `Identification/${name}`
        );
    property("Manufacturer").setValueFromSource(
        { dataType: DataType.LocalizedText, value: new LocalizedText({ text: spec.manufacturer }) },
        StatusCodes.Good,
        now
    );
    property("SerialNumber").setValueFromSource(
        { dataType: DataType.String, value: spec.serial_number },
        StatusCodes.Good,
        now
    );
    property("ProductInstanceUri").setValueFromSource(
        { dataType: DataType.String, value: spec.product_instance_uri },
        StatusCodes.Good,
        now
    );

    const blocks = plant.addObject({
        browseName: { name: "MachineryBuildingBlocks", namespaceIndex: ns.machinery },
        nodeId: `s=${spec.id}.MachineryBuildingBlocks`,
        typeDefinition: "FolderType",
        componentOf: machine
    });
    blocks.addReference({ referenceType: "HasAddIn", nodeId: identification });
    const entry = { id: spec.id, variables: new Map() };
    for (const [which, browseName, sm] of [
        ["itemState", "MachineryItemState", types.itemState],
        ["operationMode", "MachineryOperationMode", types.operationMode]
    ]) {
        const instance = sm.type.instantiate({
            browseName: { name: browseName, namespaceIndex: ns.machinery },
            nodeId: `s=${spec.id}.${browseName}`,
            addInOf: blocks,
            namespace: plant
        });
        const currentState = mustFind(instance.getComponentByName("CurrentState", 0), "CurrentState");
        entry[which] = {
            currentState,
            idProperty: currentState.getPropertyByName("Id", 0),
            stateIds: sm.stateIds
        };
    }
    setState(entry, "itemState", "NotExecuting", now);
    setState(entry, "operationMode", "None", now);

    const monitoring = plant.addObject({
        browseName: "Monitoring",
        nodeId: `s=${spec.id}.Monitoring`,
        componentOf: machine
    });
    for (const pv of PROCESS_VARIABLES) {
        const variable = plant.addVariable({
            browseName: pv.name,
            nodeId: `s=${spec.id}.Monitoring.${pv.name}`,
            componentOf: monitoring,
            dataType: pv.dataType,
            minimumSamplingInterval: 0 // exception-based: a write is reported, nothing is polled
        });
        variable.setValueFromSource({ dataType: pv.dataType, value: pv.start }, StatusCodes.Good, now);
        entry.variables.set(pv.name, { variable, pv, current: pv.start });
    }
    return entry;
}

function parseInstant(text) {
    if (text === undefined) {
        return new Date();
    }
    const at = typeof text === "string" ? new Date(text) : new Date(Number.NaN);
    if (Number.isNaN(at.getTime())) {
        throw new Error(`"at" is not an ISO 8601 instant: ${JSON.stringify(text)}`);
    }
    return at;
}

function coerceValue(pv, value) {
    if (pv.dataType === DataType.String) {
        if (typeof value !== "string") {
            throw new Error(`${pv.name} takes a string`);
        }
        return value;
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new Error(`${pv.name} takes a number`);
    }
    if (pv.dataType === DataType.UInt32 && (!Number.isInteger(value) || value < 0 || value > 0xffffffff)) {
        throw new Error(`${pv.name} takes an unsigned 32-bit integer`);
    }
    return value;
}

function applyCommand(machines, command) {
    if (command === null || typeof command !== "object" || Array.isArray(command)) {
        throw new Error("a command is a JSON object");
    }
    const machine = machines.get(command.machine);
    if (!machine) {
        throw new Error(`unknown machine ${JSON.stringify(command.machine)}`);
    }
    const at = parseInstant(command.at);
    if ("state" in command) {
        if (!ITEM_STATES.includes(command.state)) {
            throw new Error(`state is one of ${ITEM_STATES.join(", ")}`);
        }
        setState(machine, "itemState", command.state, at);
    } else if ("mode" in command) {
        if (!OPERATION_MODES.includes(command.mode)) {
            throw new Error(`mode is one of ${OPERATION_MODES.join(", ")}`);
        }
        setState(machine, "operationMode", command.mode, at);
    } else if ("var" in command) {
        const slot = machine.variables.get(command.var);
        if (!slot) {
            throw new Error(`unknown variable ${JSON.stringify(command.var)}`);
        }
        const statusName = command.status ?? "Good";
        if (!Object.hasOwn(STATUS, statusName)) {
            throw new Error("status is Good, Bad or Uncertain");
        }
        const value = coerceValue(slot.pv, command.value);
        slot.current = value;
        slot.variable.setValueFromSource({ dataType: slot.pv.dataType, value }, STATUS[statusName], at);
    } else {
        throw new Error("a command sets state, mode or var");
    }
}

// One --rate tick: every Monitoring variable of every machine changes, all stamped `at`.
function tick(machines, random, n, at) {
    for (const machine of machines.values()) {
        for (const slot of machine.variables.values()) {
            const pv = slot.pv;
            if (pv.drift !== undefined) {
                slot.current += (random() - 0.5) * 2 * pv.drift;
                slot.current += (pv.start - slot.current) * 0.01; // stay near the level
            } else if (pv.grow !== undefined) {
                slot.current += pv.grow;
            } else if (pv.counter) {
                slot.current = (slot.current + 1) % 0x100000000;
            } else {
                slot.current = `WO-${machine.id}-${String(n).padStart(8, "0")}`;
            }
            slot.variable.setValueFromSource({ dataType: pv.dataType, value: slot.current }, StatusCodes.Good, at);
        }
    }
}

async function main() {
    const args = parseArgs(process.argv.slice(2));
    const specs = machineList(args);
    const pkiDir = args.pkiDir ?? path.join(process.cwd(), "pki");
    const certificateManager = new OPCUACertificateManager({
        rootFolder: pkiDir,
        automaticallyAcceptUnknownCertificate: true,
        disableFileWatchers: true
    });
    const secure = args.security === "sign-and-encrypt";
    const server = new OPCUAServer({
        port: args.port,
        host: args.host,
        hostname: args.host,
        nodeset_filename: nodesetFiles(args.nodesetDir),
        serverCertificateManager: certificateManager,
        securityModes: secure ? [MessageSecurityMode.SignAndEncrypt] : [MessageSecurityMode.None],
        securityPolicies: secure ? [SecurityPolicy.Basic256Sha256] : [SecurityPolicy.None],
        allowAnonymous: true,
        serverCapabilities: {
            // 0: every change of an exception-based item is delivered, none coalesced
            minSupportedSampleRate: args.minSampleMs,
            maxMonitoredItemsPerSubscription: 1_000_000,
            maxMonitoredItems: 1_000_000
        },
        buildInfo: { productName: "factorygraph node-opcua plant", manufacturerName: "factorygraph" },
        serverInfo: { applicationUri: "urn:factorygraph:node-opcua-plant", productUri: "urn:factorygraph:node-opcua-plant" }
    });
    await server.initialize();

    const addressSpace = server.engine.addressSpace;
    const ns = {
        machinery: addressSpace.getNamespaceIndex(MACHINERY_NS),
        di: addressSpace.getNamespaceIndex(DI_NS)
    };
    if (ns.machinery < 0 || ns.di < 0) {
        throw new Error("the DI and Machinery nodesets did not load");
    }
    const plant = addressSpace.registerNamespace(PLANT_NS);
    const folder = mustFind(
        addressSpace.findNode(`ns=${ns.machinery};i=${MACHINES_FOLDER_ID}`),
        "the Machinery Machines folder (i=1001)"
    );
    const types = {
        identification: mustFind(
            addressSpace.findObjectType("MachineIdentificationType", ns.machinery),
            "MachineIdentificationType"
        ),
        itemState: stateMachine(addressSpace, ns, "MachineryItemState_StateMachineType", ITEM_STATES),
        operationMode: stateMachine(addressSpace, ns, "MachineryOperationModeStateMachineType", OPERATION_MODES)
    };
    const machines = new Map();
    const built = new Date();
    for (const spec of specs) {
        if (machines.has(spec.id)) {
            throw new Error(`machine ${spec.id} appears twice`);
        }
        machines.set(spec.id, buildMachine(addressSpace, ns, types, folder, spec, plant, built));
    }

    await server.start();

    let stopping = false;
    let timer = null;
    const stop = async (code) => {
        if (stopping) {
            return;
        }
        stopping = true;
        if (timer) {
            clearInterval(timer);
        }
        try {
            await server.shutdown(0);
        } finally {
            process.exit(code);
        }
    };
    process.on("SIGTERM", () => stop(0));
    process.on("SIGINT", () => stop(0));

    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on("line", (line) => {
        if (line.trim() === "") {
            return;
        }
        try {
            applyCommand(machines, JSON.parse(line));
            protocolOut("OK");
        } catch (error) {
            protocolOut(`ERROR ${String(error.message ?? error).replace(/\s+/g, " ")}`);
        }
    });
    lines.on("close", () => stop(0));

    if (args.rate > 0) {
        const random = mulberry32(args.seed);
        let n = 0;
        timer = setInterval(() => tick(machines, random, ++n, new Date()), 1000 / args.rate);
    }
    protocolOut(`READY opc.tcp://${args.host}:${args.port}`);
}

main().catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
});
