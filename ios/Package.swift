// swift-tools-version:6.0
// The Waymark Swift package: the generated uniffi bindings plus a thin async layer, in Swift 6
// language mode (strict concurrency: scripts/swift-tests.sh fails on any warning).
//
// Before building, generate the bindings and headers from the Rust library:
//   ios/generate-bindings.sh            (bindings + headers from the host debug build)
//   ios/build-xcframework.sh            (release XCFramework for iOS devices, the iOS
//                                        simulator and macOS, on a Mac)
// With build/waymarkFFI.xcframework present the package links it (a binary target named like
// the XCFramework); otherwise it links libwaymark_ffi from the library path given to the
// linker (`swift test -Xlinker -L...`), which is how the Linux tests run.
//
// This manifest is in ios/, not at the repository's root, so SwiftPM can add it to an app by
// local path only; README.md ("### iOS") says how to publish it for a URL dependency with
// `.binaryTarget(name: "waymarkFFI", url: ..., checksum: ...)`.
import PackageDescription
import Foundation

let packageDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
let xcframework = "build/waymarkFFI.xcframework"
let useXCFramework = FileManager.default.fileExists(atPath: "\(packageDir)/\(xcframework)")

let ffiTarget: Target = useXCFramework
    ? .binaryTarget(name: "waymarkFFI", path: xcframework)
    : .systemLibrary(name: "waymarkFFI", path: "Sources/waymarkFFI")

let package = Package(
    name: "Waymark",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "Waymark", targets: ["Waymark"]),
    ],
    targets: [
        ffiTarget,
        .target(
            name: "Waymark",
            dependencies: ["waymarkFFI"],
            path: "Sources/Waymark"
        ),
        .testTarget(
            name: "WaymarkTests",
            dependencies: ["Waymark"],
            path: "Tests/WaymarkTests"
        ),
        // The Swift driver of the shared scenarios; its sources live in tests/swift (a
        // symlink keeps them inside the package, as SwiftPM requires).
        .testTarget(
            name: "ScenarioTests",
            dependencies: ["Waymark"],
            path: "Tests/ScenarioTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
