# A thin front for CMake and npm. `make demo` and `make test` are the two commands that matter.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps build web test demo bench fuzz format lint clean

all: build

deps:
	@bash scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)
	@$(MAKE) --no-print-directory web

web:
	@cd web && npm run --silent build

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure --timeout 900

demo: build
	@rm -rf demo.db demo.db-wal demo.db-shm demo-logs
	@$(BUILD_DIR)/mamori --db demo.db demo seed
	@echo ""
	@echo "  mamori デモ: http://127.0.0.1:8080"
	@echo "  ログイン / logins (パスワード / password: Mamori-Demo-2026):"
	@echo "    admin (安全管理責任者)  staff (システム運用担当)  vendor-emr, vendor-pacs (事業者)"
	@echo "    inspector (保健所)  auditor (監査)"
	@echo ""
	@$(BUILD_DIR)/mamori --db demo.db serve --listen 127.0.0.1:8080

bench: build
	@bash bench/run.sh

fuzz: deps
	@cmake -S . -B $(BUILD_DIR)-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 \
	  -DCMAKE_CXX_COMPILER=clang++-14 -DMAMORI_FUZZ=ON -DMAMORI_TESTS=OFF >/dev/null
	@cmake --build $(BUILD_DIR)-fuzz -j $(JOBS) --target fuzz_targets
	@bash fuzz/run.sh $(BUILD_DIR)-fuzz

format:
	@find src tests bench fuzz -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

lint: build
	@find src -name '*.cpp' | xargs clang-tidy -p $(BUILD_DIR) --quiet

clean:
	@rm -rf $(BUILD_DIR) $(BUILD_DIR)-fuzz web/dist
