"""Conformance check of the simulated DoIP entity with scapy's automotive layers (ISO 13400 / 14229).

Usage: /usr/bin/python3 scapy_doip.py HOST TCP_PORT UDP_PORT ECU_ADDRESS
Prints "ack" each time it has read a diagnostic message ack, then, last, one JSON object with what
scapy decoded; test/vehicle/scapy.test.ts asserts on it. A real ECU answers milliseconds after its
gateway acks; the simulated one answers at once, so the test holds its answer until this script
says it has the ack: scapy's DoIPSocket reads one message per read, and an answer already waiting
behind the ack would be taken as the ack's previous_msg.
"""
import json
import socket
import sys

from scapy.contrib.automotive.doip import DoIP, DoIPSocket
from scapy.contrib.automotive.uds import UDS, UDS_RDBI, UDS_RDTCI

host, tcp_port, udp_port, ecu = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4], 0)
TESTER = 0x0E80


def diagnose(sock, target, uds):
    """Sends a diagnostic message; returns the ack (or nack) and, after an ack, the UDS response."""
    sock.send(DoIP(payload_type=0x8001, source_address=TESTER, target_address=target) / uds)
    ack = sock.recv()
    if ack.payload_type != 0x8002:
        return ack, None
    print("ack", flush=True)
    response = sock.recv()
    while bytes(response[UDS])[:1] == b"\x7f" and bytes(response[UDS])[2:3] == b"\x78":
        response = sock.recv()
    return ack, response


out = {}

# Vehicle identification over UDP: request with the default version 0xFF, as testers do.
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.settimeout(2)
udp.sendto(bytes(DoIP(protocol_version=0xFF, inverse_version=0x00, payload_type=0x0001)), (host, udp_port))
announcement = DoIP(udp.recv(1024))
out["announcement"] = {
    "payload_type": announcement.payload_type,
    "vin": announcement.vin.decode("ascii"),
    "logical_address": announcement.logical_address,
    "eid": announcement.eid.hex(),
    "gid": announcement.gid.hex(),
    "further_action": announcement.further_action,
}
udp.close()

# TCP: DoIPSocket activates routing on connect and takes the entity's address as its target.
sock = DoIPSocket(host, tcp_port, activate_routing=True, source_address=TESTER)
out["routing"] = {"target_address": getattr(sock, "target_address", None)}
sock.send(DoIP(payload_type=0x0005, source_address=TESTER, activation_type=0))
again = sock.recv()
out["routing"].update(
    payload_type=again.payload_type,
    code=again.routing_activation_response,
    tester=again.logical_address_tester,
    entity=again.logical_address_doip_entity,
)

ack, vin = diagnose(sock, ecu, UDS() / UDS_RDBI(identifiers=[0xF190]))
out["vin"] = {
    "ack": ack.payload_type,
    "ack_code": ack.ack_code,
    "source_address": vin.source_address,
    "target_address": vin.target_address,
    "service": vin[UDS].service,
    "did": vin.dataIdentifier,
    "value": bytes(vin.load).decode("ascii"),
}

ack, dtcs = diagnose(sock, ecu, UDS() / UDS_RDTCI(reportType=2, DTCStatusMask=0xFF))
records = bytes(dtcs.DTCAndStatusRecord)
out["dtcs"] = {
    "ack": ack.payload_type,
    "service": dtcs[UDS].service,
    "report_type": dtcs.reportType,
    "availability_mask": dtcs.DTCStatusAvailabilityMask,
    "records": [[int.from_bytes(records[i : i + 3], "big"), records[i + 3]] for i in range(0, len(records), 4)],
}

nack, _ = diagnose(sock, 0x2000, UDS() / UDS_RDBI(identifiers=[0xF190]))
out["unknown_target"] = {"payload_type": nack.payload_type, "nack_code": nack.nack_code}
sock.close()

print(json.dumps(out))
