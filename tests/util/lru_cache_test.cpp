// The pack reader's cache against a plain model: a list in use order with a byte budget.
#include "util/lru_cache.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <list>
#include <random>
#include <utility>

namespace keyhound {
namespace {

TEST(LruCache, EvictsTheLeastRecentlyUsedWithinItsBudget) {
  LruCache<int> cache(10);
  cache.insert(1, 100, 4);
  cache.insert(2, 200, 4);
  ASSERT_NE(cache.find(1), nullptr);  // 1 is now newer than 2
  cache.insert(3, 300, 4);            // 12 bytes: 2 goes
  EXPECT_EQ(cache.find(2), nullptr);
  ASSERT_NE(cache.find(1), nullptr);
  EXPECT_EQ(*cache.find(1), 100);
  EXPECT_EQ(*cache.find(3), 300);
  EXPECT_EQ(cache.used(), 8u);
  cache.insert(3, 999, 4);  // a key already kept stays as it was
  EXPECT_EQ(*cache.find(3), 300);
  cache.insert(4, 400, 11);  // larger than the whole budget: left out, nothing evicted
  EXPECT_EQ(cache.find(4), nullptr);
  EXPECT_EQ(cache.count(), 2u);
  cache.insert(5, 500, 10);  // takes the whole budget
  EXPECT_EQ(cache.find(1), nullptr);
  EXPECT_EQ(cache.find(3), nullptr);
  EXPECT_EQ(*cache.find(5), 500);
  EXPECT_EQ(cache.used(), 10u);
}

// Random work on keys that crowd the same table slots (multiples of a power of two), so removals
// shift probe runs back and the table grows: every answer equals the model's.
TEST(LruCache, AgreesWithAModelUnderRandomUse) {
  std::mt19937 random(7);
  for (std::uint64_t stride : {std::uint64_t{1}, std::uint64_t{1} << 20, std::uint64_t{4096}}) {
    LruCache<std::uint64_t> cache(5000);
    std::list<std::pair<std::uint64_t, std::size_t>> model;  // (key, size), newest first
    std::size_t model_used = 0;
    for (int step = 0; step < 20000; ++step) {
      std::uint64_t key = (random() % 600) * stride;
      auto in_model = std::find_if(model.begin(), model.end(), [&](const auto& e) { return e.first == key; });
      if (random() % 2 == 0) {
        std::uint64_t* found = cache.find(key);
        ASSERT_EQ(found != nullptr, in_model != model.end()) << "step " << step;
        if (found) {
          ASSERT_EQ(*found, key * 3);
          model.splice(model.begin(), model, in_model);
        }
      } else {
        std::size_t size = 1 + random() % 200;
        cache.insert(key, key * 3, size);
        if (in_model != model.end()) continue;
        while (model_used + size > 5000) {
          model_used -= model.back().second;
          model.pop_back();
        }
        model.emplace_front(key, size);
        model_used += size;
      }
      ASSERT_EQ(cache.used(), model_used) << "step " << step;
      ASSERT_EQ(cache.count(), model.size()) << "step " << step;
    }
  }
}

}  // namespace
}  // namespace keyhound
