import Testing
import LNASteering

@Test func moduleSteeringBuilds() {}
